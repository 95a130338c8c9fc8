-- CloudQuery's aws_glacier_vault_access_policies, typed, from its text fixture.
{{ cast_fixture('aws_glacier_vault_access_policies') }}
