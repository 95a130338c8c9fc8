-- CloudQuery's aws_cloudfront_distributions, typed, from its text fixture.
{{ cast_fixture('aws_cloudfront_distributions') }}
