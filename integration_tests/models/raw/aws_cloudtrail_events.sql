-- CloudQuery's aws_cloudtrail_events, typed, from its text fixture.
{{ cast_fixture('aws_cloudtrail_events') }}
