-- CloudQuery's aws_ec2_route_tables, typed, from its text fixture.
{{ cast_fixture('aws_ec2_route_tables') }}
