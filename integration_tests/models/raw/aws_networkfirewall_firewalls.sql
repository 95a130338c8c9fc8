-- CloudQuery's aws_networkfirewall_firewalls, typed, from its text fixture.
{{ cast_fixture('aws_networkfirewall_firewalls') }}
