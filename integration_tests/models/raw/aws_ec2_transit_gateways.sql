-- CloudQuery's aws_ec2_transit_gateways, typed, from its text fixture.
{{ cast_fixture('aws_ec2_transit_gateways') }}
