-- CloudQuery's aws_codebuild_source_credentials, typed, from its text fixture.
{{ cast_fixture('aws_codebuild_source_credentials') }}
