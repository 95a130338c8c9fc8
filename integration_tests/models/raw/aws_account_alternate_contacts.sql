-- CloudQuery's aws_account_alternate_contacts, typed, from its text fixture.
{{ cast_fixture('aws_account_alternate_contacts') }}
