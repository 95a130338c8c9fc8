-- CloudQuery's aws_support_trusted_advisor_check_summaries, typed, from its text fixture.
{{ cast_fixture('aws_support_trusted_advisor_check_summaries') }}
