-- CloudQuery's aws_codebuild_projects, typed, from its text fixture.
{{ cast_fixture('aws_codebuild_projects') }}
