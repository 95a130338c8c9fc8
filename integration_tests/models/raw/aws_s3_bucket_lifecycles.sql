-- CloudQuery's aws_s3_bucket_lifecycles, typed, from its text fixture.
{{ cast_fixture('aws_s3_bucket_lifecycles') }}
