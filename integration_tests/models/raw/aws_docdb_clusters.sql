-- CloudQuery's aws_docdb_clusters, typed, from its text fixture.
{{ cast_fixture('aws_docdb_clusters') }}
