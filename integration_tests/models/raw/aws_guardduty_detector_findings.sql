-- CloudQuery's aws_guardduty_detector_findings, typed, from its text fixture.
{{ cast_fixture('aws_guardduty_detector_findings') }}
