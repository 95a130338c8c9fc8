-- CloudQuery's aws_route53_hosted_zone_query_logging_configs, typed, from its text fixture.
{{ cast_fixture('aws_route53_hosted_zone_query_logging_configs') }}
