-- One row per IAM instance profile: the role(s) an EC2 instance can carry.
with source as (

    {{ soc2.cloudquery_source('aws_iam_instance_profiles',
        natural_key=['account_id', 'id']) }}

),

renamed as (

    select
        account_id,
        arn as instance_profile_arn,
        coalesce(instance_profile_id, id) as instance_profile_id,
        instance_profile_name,
        path as instance_profile_path,
        roles,
        tags,
        create_date as created_at,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
