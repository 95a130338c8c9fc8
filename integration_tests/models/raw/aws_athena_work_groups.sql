-- CloudQuery's aws_athena_work_groups, typed, from its text fixture.
{{ cast_fixture('aws_athena_work_groups') }}
