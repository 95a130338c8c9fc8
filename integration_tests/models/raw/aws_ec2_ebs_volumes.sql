-- CloudQuery's aws_ec2_ebs_volumes, typed, from its text fixture.
{{ cast_fixture('aws_ec2_ebs_volumes') }}
