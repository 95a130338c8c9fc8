-- CloudQuery's aws_securityhub_hubs, typed, from its text fixture.
{{ cast_fixture('aws_securityhub_hubs') }}
