-- CloudQuery's aws_iam_server_certificates, typed, from its text fixture.
{{ cast_fixture('aws_iam_server_certificates') }}
