-- CloudQuery's aws_sns_subscriptions, typed, from its text fixture.
{{ cast_fixture('aws_sns_subscriptions') }}
