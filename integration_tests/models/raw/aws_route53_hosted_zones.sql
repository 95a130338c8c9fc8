-- CloudQuery's aws_route53_hosted_zones, typed, from its text fixture.
{{ cast_fixture('aws_route53_hosted_zones') }}
