-- CloudQuery's aws_rds_cluster_parameter_groups, typed, from its text fixture.
{{ cast_fixture('aws_rds_cluster_parameter_groups') }}
