-- CloudQuery's aws_glue_datacatalog_encryption_settings, typed, from its text fixture.
{{ cast_fixture('aws_glue_datacatalog_encryption_settings') }}
