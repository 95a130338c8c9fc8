-- CloudQuery's aws_ssm_instances, typed, from its text fixture.
{{ cast_fixture('aws_ssm_instances') }}
