-- CloudQuery's aws_iam_credential_reports, typed, from its text fixture.
{{ cast_fixture('aws_iam_credential_reports') }}
