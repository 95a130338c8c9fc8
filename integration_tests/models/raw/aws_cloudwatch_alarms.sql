-- CloudQuery's aws_cloudwatch_alarms, typed, from its text fixture.
{{ cast_fixture('aws_cloudwatch_alarms') }}
