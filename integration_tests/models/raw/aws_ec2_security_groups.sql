-- CloudQuery's aws_ec2_security_groups, typed, from its text fixture.
{{ cast_fixture('aws_ec2_security_groups') }}
