-- CloudQuery's aws_ec2_vpc_peering_connections, typed, from its text fixture.
{{ cast_fixture('aws_ec2_vpc_peering_connections') }}
