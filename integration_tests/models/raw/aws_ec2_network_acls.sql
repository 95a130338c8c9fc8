-- CloudQuery's aws_ec2_network_acls, typed, from its text fixture.
{{ cast_fixture('aws_ec2_network_acls') }}
