-- One row per EMR security configuration with its Kerberos provider.
with source as (

    {{ soc2.cloudquery_source('aws_emr_security_configurations',
        natural_key=['account_id', 'region', 'name']) }}

),

renamed as (

    select
        account_id,
        region,
        name as security_configuration_name,
        {{ soc2.json_text(
            'security_configuration',
            ['AuthenticationConfiguration', 'KerberosConfiguration', 'Provider']) }} as kerberos_provider,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
