-- One row per WAF Classic Regional web ACL (the table has no logging column).
with source as (

    {{ soc2.cloudquery_source('aws_wafregional_web_acls',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as web_acl_arn,
        web_acl_id,
        name as web_acl_name,
        {{ soc2.text_array_to_json('resources_for_web_acl') }} as resources_for_web_acl,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
