-- One row per entity of CloudQuery's aws_acm_certificates, typed (latest sync per natural key).
with source as (

    {{ soc2.cloudquery_source('aws_acm_certificates',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn,
        tags,
        domain_name,
        status,
        type,
        not_after,
        {{ soc2.text_array_to_json('in_use_by') }} as in_use_by,
        renewal_eligibility,
        key_algorithm,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
