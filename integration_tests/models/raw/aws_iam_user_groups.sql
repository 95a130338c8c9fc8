-- CloudQuery's aws_iam_user_groups, typed, from its text fixture.
{{ cast_fixture('aws_iam_user_groups') }}
