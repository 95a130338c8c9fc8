-- CloudQuery's aws_ec2_ebs_snapshots, typed, from its text fixture.
{{ cast_fixture('aws_ec2_ebs_snapshots') }}
