-- CloudQuery's aws_ec2_instance_types, typed, from its text fixture.
{{ cast_fixture('aws_ec2_instance_types') }}
