-- CloudQuery's aws_rds_cluster_snapshots, typed, from its text fixture.
{{ cast_fixture('aws_rds_cluster_snapshots') }}
