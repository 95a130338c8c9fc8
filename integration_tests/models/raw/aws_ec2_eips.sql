-- CloudQuery's aws_ec2_eips, typed, from its text fixture.
{{ cast_fixture('aws_ec2_eips') }}
