-- CloudQuery's aws_s3_bucket_replications, typed, from its text fixture.
{{ cast_fixture('aws_s3_bucket_replications') }}
