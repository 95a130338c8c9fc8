-- CloudQuery's aws_mq_brokers, typed, from its text fixture.
{{ cast_fixture('aws_mq_brokers') }}
