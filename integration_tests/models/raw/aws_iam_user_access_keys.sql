-- CloudQuery's aws_iam_user_access_keys, typed, from its text fixture.
{{ cast_fixture('aws_iam_user_access_keys') }}
