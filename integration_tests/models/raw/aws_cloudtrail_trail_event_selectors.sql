-- CloudQuery's aws_cloudtrail_trail_event_selectors, typed, from its text fixture.
{{ cast_fixture('aws_cloudtrail_trail_event_selectors') }}
