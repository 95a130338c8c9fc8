-- CloudQuery's aws_secretsmanager_secrets, typed, from its text fixture.
{{ cast_fixture('aws_secretsmanager_secrets') }}
