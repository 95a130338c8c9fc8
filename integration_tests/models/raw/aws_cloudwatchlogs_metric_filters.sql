-- CloudQuery's aws_cloudwatchlogs_metric_filters, typed, from its text fixture.
{{ cast_fixture('aws_cloudwatchlogs_metric_filters') }}
