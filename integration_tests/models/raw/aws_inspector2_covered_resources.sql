-- CloudQuery's aws_inspector2_covered_resources, typed, from its text fixture.
{{ cast_fixture('aws_inspector2_covered_resources') }}
