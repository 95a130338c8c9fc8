-- CloudQuery's aws_ecr_repositories, typed, from its text fixture.
{{ cast_fixture('aws_ecr_repositories') }}
