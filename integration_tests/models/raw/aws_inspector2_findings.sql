-- CloudQuery's aws_inspector2_findings, typed, from its text fixture.
{{ cast_fixture('aws_inspector2_findings') }}
