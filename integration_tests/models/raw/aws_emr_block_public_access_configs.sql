-- CloudQuery's aws_emr_block_public_access_configs, typed, from its text fixture.
{{ cast_fixture('aws_emr_block_public_access_configs') }}
