-- CloudQuery's aws_iam_roles, typed, from its text fixture.
{{ cast_fixture('aws_iam_roles') }}
