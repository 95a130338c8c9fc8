-- CloudQuery's aws_efs_filesystems, typed, from its text fixture.
{{ cast_fixture('aws_efs_filesystems') }}
