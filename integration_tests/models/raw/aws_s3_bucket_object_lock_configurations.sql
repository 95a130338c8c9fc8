-- CloudQuery's aws_s3_bucket_object_lock_configurations, typed, from its text fixture.
{{ cast_fixture('aws_s3_bucket_object_lock_configurations') }}
