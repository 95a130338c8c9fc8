-- CloudQuery's aws_ecr_repository_policies, typed, from its text fixture.
{{ cast_fixture('aws_ecr_repository_policies') }}
