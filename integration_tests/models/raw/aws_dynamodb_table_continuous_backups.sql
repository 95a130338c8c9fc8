-- CloudQuery's aws_dynamodb_table_continuous_backups, typed, from its text fixture.
{{ cast_fixture('aws_dynamodb_table_continuous_backups') }}
