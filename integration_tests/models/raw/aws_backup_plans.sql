-- CloudQuery's aws_backup_plans, typed, from its text fixture.
{{ cast_fixture('aws_backup_plans') }}
