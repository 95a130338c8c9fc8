-- CloudQuery's aws_ec2_instances, typed, from its text fixture.
{{ cast_fixture('aws_ec2_instances') }}
