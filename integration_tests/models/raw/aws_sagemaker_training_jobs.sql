-- CloudQuery's aws_sagemaker_training_jobs, typed, from its text fixture.
{{ cast_fixture('aws_sagemaker_training_jobs') }}
