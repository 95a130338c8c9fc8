-- CloudQuery's aws_docdb_cluster_snapshots, typed, from its text fixture.
{{ cast_fixture('aws_docdb_cluster_snapshots') }}
