-- CloudQuery's aws_backup_protected_resources, typed, from its text fixture.
{{ cast_fixture('aws_backup_protected_resources') }}
