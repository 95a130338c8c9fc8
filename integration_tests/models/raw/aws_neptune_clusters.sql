-- CloudQuery's aws_neptune_clusters, typed, from its text fixture.
{{ cast_fixture('aws_neptune_clusters') }}
