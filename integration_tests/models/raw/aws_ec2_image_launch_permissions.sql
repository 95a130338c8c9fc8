-- CloudQuery's aws_ec2_image_launch_permissions, typed, from its text fixture.
{{ cast_fixture('aws_ec2_image_launch_permissions') }}
