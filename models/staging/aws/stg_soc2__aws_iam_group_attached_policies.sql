-- One row per managed policy attached to a group.
with source as (

    {{ soc2.cloudquery_source('aws_iam_group_attached_policies',
        natural_key=['account_id', 'group_arn', 'policy_arn']) }}

),

renamed as (

    select
        account_id,
        group_arn,
        policy_arn,
        policy_name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
