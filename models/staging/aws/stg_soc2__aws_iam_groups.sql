-- One row per IAM group.
with source as (

    {{ soc2.cloudquery_source('aws_iam_groups',
        natural_key=['account_id', 'arn']) }}

),

renamed as (

    select
        account_id,
        arn as group_arn,
        group_id,
        group_name,
        path as group_path,
        create_date as created_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
