-- CloudQuery's aws_appsync_graphql_apis, typed, from its text fixture.
{{ cast_fixture('aws_appsync_graphql_apis') }}
