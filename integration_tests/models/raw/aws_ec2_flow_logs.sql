-- CloudQuery's aws_ec2_flow_logs, typed, from its text fixture.
{{ cast_fixture('aws_ec2_flow_logs') }}
