-- One row per user and group it belongs to.
with source as (

    {{ soc2.cloudquery_source('aws_iam_user_groups',
        natural_key=['account_id', 'user_arn', 'arn']) }}

),

renamed as (

    select
        account_id,
        user_arn,
        arn as group_arn,
        group_name,
        group_id,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
