-- CloudQuery's aws_apigateway_rest_api_stages, typed, from its text fixture.
{{ cast_fixture('aws_apigateway_rest_api_stages') }}
