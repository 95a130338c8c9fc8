-- CloudQuery's aws_cloudwatchlogs_resource_policies, typed, from its text fixture.
{{ cast_fixture('aws_cloudwatchlogs_resource_policies') }}
