-- CloudQuery's aws_rds_clusters, typed, from its text fixture.
{{ cast_fixture('aws_rds_clusters') }}
