-- CloudQuery's aws_ec2_launch_template_versions, typed, from its text fixture.
{{ cast_fixture('aws_ec2_launch_template_versions') }}
