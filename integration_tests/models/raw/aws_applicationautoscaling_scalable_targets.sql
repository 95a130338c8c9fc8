-- CloudQuery's aws_applicationautoscaling_scalable_targets, typed, from its text fixture.
{{ cast_fixture('aws_applicationautoscaling_scalable_targets') }}
