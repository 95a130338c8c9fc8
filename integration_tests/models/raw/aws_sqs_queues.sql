-- CloudQuery's aws_sqs_queues, typed, from its text fixture.
{{ cast_fixture('aws_sqs_queues') }}
