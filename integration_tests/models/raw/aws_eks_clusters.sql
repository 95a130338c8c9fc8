-- CloudQuery's aws_eks_clusters, typed, from its text fixture.
{{ cast_fixture('aws_eks_clusters') }}
