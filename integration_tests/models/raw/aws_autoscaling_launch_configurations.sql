-- CloudQuery's aws_autoscaling_launch_configurations, typed, from its text fixture.
{{ cast_fixture('aws_autoscaling_launch_configurations') }}
