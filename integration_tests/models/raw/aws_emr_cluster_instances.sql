-- CloudQuery's aws_emr_cluster_instances, typed, from its text fixture.
{{ cast_fixture('aws_emr_cluster_instances') }}
