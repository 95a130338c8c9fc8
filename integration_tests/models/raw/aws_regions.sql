-- CloudQuery's aws_regions, typed, from its text fixture.
{{ cast_fixture('aws_regions') }}
