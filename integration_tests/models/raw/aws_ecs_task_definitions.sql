-- CloudQuery's aws_ecs_task_definitions, typed, from its text fixture.
{{ cast_fixture('aws_ecs_task_definitions') }}
