-- CloudQuery's aws_rds_db_parameter_groups, typed, from its text fixture.
{{ cast_fixture('aws_rds_db_parameter_groups') }}
