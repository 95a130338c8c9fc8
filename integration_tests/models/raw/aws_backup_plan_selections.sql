-- CloudQuery's aws_backup_plan_selections, typed, from its text fixture.
{{ cast_fixture('aws_backup_plan_selections') }}
