-- CloudQuery's aws_rds_db_parameter_group_db_parameters, typed, from its text fixture.
{{ cast_fixture('aws_rds_db_parameter_group_db_parameters') }}
