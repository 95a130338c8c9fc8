-- CloudQuery's aws_cloudformation_stacks, typed, from its text fixture.
{{ cast_fixture('aws_cloudformation_stacks') }}
