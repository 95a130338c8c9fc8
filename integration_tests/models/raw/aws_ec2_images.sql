-- CloudQuery's aws_ec2_images, typed, from its text fixture.
{{ cast_fixture('aws_ec2_images') }}
