-- CloudQuery's aws_redshift_cluster_parameters, typed, from its text fixture.
{{ cast_fixture('aws_redshift_cluster_parameters') }}
