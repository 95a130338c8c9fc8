-- CloudQuery's aws_config_configuration_recorders, typed, from its text fixture.
{{ cast_fixture('aws_config_configuration_recorders') }}
