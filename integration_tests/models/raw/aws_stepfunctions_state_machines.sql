-- CloudQuery's aws_stepfunctions_state_machines, typed, from its text fixture.
{{ cast_fixture('aws_stepfunctions_state_machines') }}
