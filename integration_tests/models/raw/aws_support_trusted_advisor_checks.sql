-- CloudQuery's aws_support_trusted_advisor_checks, typed, from its text fixture.
{{ cast_fixture('aws_support_trusted_advisor_checks') }}
