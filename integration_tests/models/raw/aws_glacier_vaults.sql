-- CloudQuery's aws_glacier_vaults, typed, from its text fixture.
{{ cast_fixture('aws_glacier_vaults') }}
