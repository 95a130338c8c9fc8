-- One row per alternate contact set on an account.
with source as (

    {{ soc2.cloudquery_source('aws_account_alternate_contacts',
        natural_key=['account_id', 'alternate_contact_type']) }}

),

renamed as (

    select
        account_id,
        upper(alternate_contact_type) as alternate_contact_type,
        email_address,
        name as contact_name,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
