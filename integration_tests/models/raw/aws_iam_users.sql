-- CloudQuery's aws_iam_users, typed, from its text fixture.
{{ cast_fixture('aws_iam_users') }}
