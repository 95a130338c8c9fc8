-- CloudQuery's aws_wafregional_web_acls, typed, from its text fixture.
{{ cast_fixture('aws_wafregional_web_acls') }}
