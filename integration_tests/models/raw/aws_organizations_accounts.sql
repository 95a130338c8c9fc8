-- CloudQuery's aws_organizations_accounts, typed, from its text fixture.
{{ cast_fixture('aws_organizations_accounts') }}
