-- CloudQuery's aws_guardduty_detectors, typed, from its text fixture.
{{ cast_fixture('aws_guardduty_detectors') }}
