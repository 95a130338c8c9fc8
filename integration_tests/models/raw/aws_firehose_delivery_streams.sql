-- CloudQuery's aws_firehose_delivery_streams, typed, from its text fixture.
{{ cast_fixture('aws_firehose_delivery_streams') }}
