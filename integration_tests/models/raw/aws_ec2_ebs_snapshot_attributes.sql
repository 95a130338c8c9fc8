-- CloudQuery's aws_ec2_ebs_snapshot_attributes, typed, from its text fixture.
{{ cast_fixture('aws_ec2_ebs_snapshot_attributes') }}
