-- CloudQuery's aws_fsx_file_systems, typed, from its text fixture.
{{ cast_fixture('aws_fsx_file_systems') }}
