-- One row per IAM server certificate, with its expiry.
with source as (

    {{ soc2.cloudquery_source('aws_iam_server_certificates',
        natural_key=['account_id', 'id']) }}

),

renamed as (

    select
        account_id,
        id as certificate_id,
        arn as certificate_arn,
        server_certificate_name as certificate_name,
        expiration as expires_at,
        upload_date as uploaded_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
