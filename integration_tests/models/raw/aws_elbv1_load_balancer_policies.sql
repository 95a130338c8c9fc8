-- CloudQuery's aws_elbv1_load_balancer_policies, typed, from its text fixture.
{{ cast_fixture('aws_elbv1_load_balancer_policies') }}
