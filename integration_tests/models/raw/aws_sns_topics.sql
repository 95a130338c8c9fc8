-- CloudQuery's aws_sns_topics, typed, from its text fixture.
{{ cast_fixture('aws_sns_topics') }}
