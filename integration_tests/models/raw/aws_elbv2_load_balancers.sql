-- CloudQuery's aws_elbv2_load_balancers, typed, from its text fixture.
{{ cast_fixture('aws_elbv2_load_balancers') }}
