-- CloudQuery's aws_kms_key_policies, typed, from its text fixture.
{{ cast_fixture('aws_kms_key_policies') }}
