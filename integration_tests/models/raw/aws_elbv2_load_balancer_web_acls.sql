-- CloudQuery's aws_elbv2_load_balancer_web_acls, typed, from its text fixture.
{{ cast_fixture('aws_elbv2_load_balancer_web_acls') }}
