-- CloudQuery's aws_backup_report_plans, typed, from its text fixture.
{{ cast_fixture('aws_backup_report_plans') }}
