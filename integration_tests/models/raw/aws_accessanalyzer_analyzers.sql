-- CloudQuery's aws_accessanalyzer_analyzers, typed, from its text fixture.
{{ cast_fixture('aws_accessanalyzer_analyzers') }}
