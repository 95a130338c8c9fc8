-- CloudQuery's aws_rds_instances, typed, from its text fixture.
{{ cast_fixture('aws_rds_instances') }}
