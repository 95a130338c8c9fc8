-- CloudQuery's aws_s3_bucket_ownership_controls, typed, from its text fixture.
{{ cast_fixture('aws_s3_bucket_ownership_controls') }}
