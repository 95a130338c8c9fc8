-- One row per entity of CloudQuery's aws_ec2_regional_configs, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_regional_configs',
        natural_key=['account_id', 'region']) }}

),

renamed as (

    select
        account_id,
        region,
        ebs_encryption_enabled_by_default,
        ebs_default_kms_key_id,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
