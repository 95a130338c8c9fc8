-- CloudQuery's aws_autoscaling_groups, typed, from its text fixture.
{{ cast_fixture('aws_autoscaling_groups') }}
