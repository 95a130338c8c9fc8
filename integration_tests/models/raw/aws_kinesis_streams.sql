-- CloudQuery's aws_kinesis_streams, typed, from its text fixture.
{{ cast_fixture('aws_kinesis_streams') }}
