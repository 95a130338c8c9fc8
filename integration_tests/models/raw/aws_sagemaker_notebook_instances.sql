-- CloudQuery's aws_sagemaker_notebook_instances, typed, from its text fixture.
{{ cast_fixture('aws_sagemaker_notebook_instances') }}
