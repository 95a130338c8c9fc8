-- One row per entity of CloudQuery's aws_ec2_image_launch_permissions, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_image_launch_permissions',
        natural_key=['image_arn', 'group', 'user_id', 'organization_arn', 'organizational_unit_arn']) }}

),

renamed as (

    select
        image_arn,
        {{ adapter.quote('group') }} as launch_permission_group,
        user_id,
        organization_arn,
        organizational_unit_arn,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
