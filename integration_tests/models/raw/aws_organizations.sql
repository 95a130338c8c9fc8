-- CloudQuery's aws_organizations, typed, from its text fixture.
{{ cast_fixture('aws_organizations') }}
