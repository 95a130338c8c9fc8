-- CloudQuery's aws_s3_bucket_public_access_blocks, typed, from its text fixture.
{{ cast_fixture('aws_s3_bucket_public_access_blocks') }}
