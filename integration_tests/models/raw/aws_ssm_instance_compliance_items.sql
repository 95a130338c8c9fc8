-- CloudQuery's aws_ssm_instance_compliance_items, typed, from its text fixture.
{{ cast_fixture('aws_ssm_instance_compliance_items') }}
