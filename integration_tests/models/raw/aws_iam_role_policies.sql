-- CloudQuery's aws_iam_role_policies, typed, from its text fixture.
{{ cast_fixture('aws_iam_role_policies') }}
