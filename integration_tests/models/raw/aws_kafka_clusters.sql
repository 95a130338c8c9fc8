-- CloudQuery's aws_kafka_clusters, typed, from its text fixture.
{{ cast_fixture('aws_kafka_clusters') }}
