-- CloudQuery's aws_ec2_subnets, typed, from its text fixture.
{{ cast_fixture('aws_ec2_subnets') }}
