-- CloudQuery's aws_backup_vaults, typed, from its text fixture.
{{ cast_fixture('aws_backup_vaults') }}
