-- CloudQuery's aws_ec2_launch_templates, typed, from its text fixture.
{{ cast_fixture('aws_ec2_launch_templates') }}
