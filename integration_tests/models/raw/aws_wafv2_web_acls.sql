-- CloudQuery's aws_wafv2_web_acls, typed, from its text fixture.
{{ cast_fixture('aws_wafv2_web_acls') }}
