-- CloudQuery's aws_dax_clusters, typed, from its text fixture.
{{ cast_fixture('aws_dax_clusters') }}
