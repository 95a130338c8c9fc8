-- CloudQuery's aws_kms_keys, typed, from its text fixture.
{{ cast_fixture('aws_kms_keys') }}
