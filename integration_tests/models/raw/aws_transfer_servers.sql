-- CloudQuery's aws_transfer_servers, typed, from its text fixture.
{{ cast_fixture('aws_transfer_servers') }}
