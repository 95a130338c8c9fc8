-- CloudQuery's aws_cloudwatchlogs_log_groups, typed, from its text fixture.
{{ cast_fixture('aws_cloudwatchlogs_log_groups') }}
