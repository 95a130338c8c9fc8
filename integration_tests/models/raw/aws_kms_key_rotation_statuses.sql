-- CloudQuery's aws_kms_key_rotation_statuses, typed, from its text fixture.
{{ cast_fixture('aws_kms_key_rotation_statuses') }}
