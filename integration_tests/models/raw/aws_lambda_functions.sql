-- CloudQuery's aws_lambda_functions, typed, from its text fixture.
{{ cast_fixture('aws_lambda_functions') }}
