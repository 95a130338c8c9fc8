-- CloudQuery's aws_acm_certificates, typed, from its text fixture.
{{ cast_fixture('aws_acm_certificates') }}
