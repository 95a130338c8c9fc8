-- CloudQuery's aws_dms_replication_instances, typed, from its text fixture.
{{ cast_fixture('aws_dms_replication_instances') }}
