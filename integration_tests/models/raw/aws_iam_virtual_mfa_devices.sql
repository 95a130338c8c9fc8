-- CloudQuery's aws_iam_virtual_mfa_devices, typed, from its text fixture.
{{ cast_fixture('aws_iam_virtual_mfa_devices') }}
