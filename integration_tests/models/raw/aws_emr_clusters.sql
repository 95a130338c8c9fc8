-- CloudQuery's aws_emr_clusters, typed, from its text fixture.
{{ cast_fixture('aws_emr_clusters') }}
