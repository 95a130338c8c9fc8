-- CloudQuery's aws_redshift_clusters, typed, from its text fixture.
{{ cast_fixture('aws_redshift_clusters') }}
