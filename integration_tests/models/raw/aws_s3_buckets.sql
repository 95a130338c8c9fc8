-- CloudQuery's aws_s3_buckets, typed, from its text fixture.
{{ cast_fixture('aws_s3_buckets') }}
