-- CloudQuery's aws_cloudtrail_trails, typed, from its text fixture.
{{ cast_fixture('aws_cloudtrail_trails') }}
