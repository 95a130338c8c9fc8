-- CloudQuery's aws_elasticsearch_domains, typed, from its text fixture.
{{ cast_fixture('aws_elasticsearch_domains') }}
