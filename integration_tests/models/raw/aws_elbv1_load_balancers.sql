-- CloudQuery's aws_elbv1_load_balancers, typed, from its text fixture.
{{ cast_fixture('aws_elbv1_load_balancers') }}
