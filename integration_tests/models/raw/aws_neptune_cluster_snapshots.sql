-- CloudQuery's aws_neptune_cluster_snapshots, typed, from its text fixture.
{{ cast_fixture('aws_neptune_cluster_snapshots') }}
