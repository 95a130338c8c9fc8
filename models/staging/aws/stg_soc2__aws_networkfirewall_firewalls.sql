-- One row per entity of CloudQuery's aws_networkfirewall_firewalls, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_networkfirewall_firewalls',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        firewall_name,
        vpc_id,
        delete_protection,
        subnet_change_protection,
        firewall_policy_change_protection,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
