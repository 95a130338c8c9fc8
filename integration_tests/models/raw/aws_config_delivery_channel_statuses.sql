-- CloudQuery's aws_config_delivery_channel_statuses, typed, from its text fixture.
{{ cast_fixture('aws_config_delivery_channel_statuses') }}
