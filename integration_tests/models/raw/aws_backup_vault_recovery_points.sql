-- CloudQuery's aws_backup_vault_recovery_points, typed, from its text fixture.
{{ cast_fixture('aws_backup_vault_recovery_points') }}
