-- One row per entity of CloudQuery's aws_ec2_images, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_ec2_images',
        natural_key=['account_id', 'region', 'arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        image_id,
        owner_id,
        public,
        state,
        deprecation_time,
        creation_date,
        imds_support,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
