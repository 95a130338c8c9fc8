-- One row per Route 53 hosted zone.
with source as (

    {{ soc2.cloudquery_source('aws_route53_hosted_zones',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        arn as hosted_zone_arn,
        id as hosted_zone_id,
        name as zone_name,
        lower({{ soc2.json_text('config', ['PrivateZone']) }}) as private_zone,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
