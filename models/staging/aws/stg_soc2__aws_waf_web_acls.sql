-- One row per WAF Classic (global) web ACL with its logging destinations.
with source as (

    {{ soc2.cloudquery_source('aws_waf_web_acls',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        arn as web_acl_arn,
        web_acl_id,
        name as web_acl_name,
        {{ soc2.json_text('logging_configuration', ['LogDestinationConfigs']) }} as log_destination_configs,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
