-- CloudQuery's aws_ec2_internet_gateways, typed, from its text fixture.
{{ cast_fixture('aws_ec2_internet_gateways') }}
