-- CloudQuery's aws_sagemaker_endpoint_configurations, typed, from its text fixture.
{{ cast_fixture('aws_sagemaker_endpoint_configurations') }}
