-- CloudQuery's aws_ec2_regional_configs, typed, from its text fixture.
{{ cast_fixture('aws_ec2_regional_configs') }}
