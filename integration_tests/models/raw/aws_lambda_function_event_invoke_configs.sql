-- CloudQuery's aws_lambda_function_event_invoke_configs, typed, from its text fixture.
{{ cast_fixture('aws_lambda_function_event_invoke_configs') }}
