-- CloudQuery's aws_glue_jobs, typed, from its text fixture.
{{ cast_fixture('aws_glue_jobs') }}
