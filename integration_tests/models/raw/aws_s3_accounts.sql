-- CloudQuery's aws_s3_accounts, typed, from its text fixture.
{{ cast_fixture('aws_s3_accounts') }}
