-- CloudQuery's aws_apigatewayv2_api_stages, typed, from its text fixture.
{{ cast_fixture('aws_apigatewayv2_api_stages') }}
