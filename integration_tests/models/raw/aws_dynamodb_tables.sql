-- CloudQuery's aws_dynamodb_tables, typed, from its text fixture.
{{ cast_fixture('aws_dynamodb_tables') }}
