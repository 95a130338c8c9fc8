-- CloudQuery's aws_wellarchitected_workloads, typed, from its text fixture.
{{ cast_fixture('aws_wellarchitected_workloads') }}
