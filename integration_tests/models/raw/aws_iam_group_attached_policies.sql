-- CloudQuery's aws_iam_group_attached_policies, typed, from its text fixture.
{{ cast_fixture('aws_iam_group_attached_policies') }}
