-- CloudQuery's aws_elasticache_clusters, typed, from its text fixture.
{{ cast_fixture('aws_elasticache_clusters') }}
