-- CloudQuery's aws_applicationautoscaling_policies, typed, from its text fixture.
{{ cast_fixture('aws_applicationautoscaling_policies') }}
