-- CloudQuery's aws_waf_web_acls, typed, from its text fixture.
{{ cast_fixture('aws_waf_web_acls') }}
