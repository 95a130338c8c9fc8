-- CloudQuery's aws_elasticache_replication_groups, typed, from its text fixture.
{{ cast_fixture('aws_elasticache_replication_groups') }}
