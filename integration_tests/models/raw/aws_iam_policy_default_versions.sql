-- CloudQuery's aws_iam_policy_default_versions, typed, from its text fixture.
{{ cast_fixture('aws_iam_policy_default_versions') }}
