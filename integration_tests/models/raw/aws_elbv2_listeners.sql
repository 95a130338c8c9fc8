-- CloudQuery's aws_elbv2_listeners, typed, from its text fixture.
{{ cast_fixture('aws_elbv2_listeners') }}
