-- CloudQuery's aws_emr_cluster_instance_groups, typed, from its text fixture.
{{ cast_fixture('aws_emr_cluster_instance_groups') }}
