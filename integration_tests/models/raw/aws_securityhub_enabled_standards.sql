-- CloudQuery's aws_securityhub_enabled_standards, typed, from its text fixture.
{{ cast_fixture('aws_securityhub_enabled_standards') }}
