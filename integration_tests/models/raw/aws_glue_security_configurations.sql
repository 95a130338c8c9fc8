-- CloudQuery's aws_glue_security_configurations, typed, from its text fixture.
{{ cast_fixture('aws_glue_security_configurations') }}
