-- CloudQuery's aws_emr_security_configurations, typed, from its text fixture.
{{ cast_fixture('aws_emr_security_configurations') }}
