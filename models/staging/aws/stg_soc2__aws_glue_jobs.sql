-- One row per Glue job with its continuous CloudWatch logging argument.
with source as (

    {{ soc2.cloudquery_source('aws_glue_jobs',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as job_arn,
        name as job_name,
        lower({{ soc2.json_element_text(
            soc2.json_value_at_key('default_arguments', "'--enable-continuous-cloudwatch-log'")) }})
            as continuous_cloudwatch_log,
        nullif(security_configuration, '') as security_configuration,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
