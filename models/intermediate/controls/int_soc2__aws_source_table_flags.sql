-- The availability of each raw table as one row of booleans, so that control
-- models can cross join it.
with source_tables as (

    select * from {{ ref('stg_soc2__aws_source_tables') }}

),

final as (

    select
        {%- set tables = [
            'aws_iam_credential_reports', 'aws_iam_password_policies',
            'aws_iam_user_access_keys', 'aws_iam_users', 'aws_iam_user_policies',
            'aws_iam_user_attached_policies', 'aws_s3_accounts', 'aws_s3_buckets',
            'aws_s3_bucket_encryption_rules', 'aws_s3_bucket_public_access_blocks',
            'aws_s3_bucket_policies', 'aws_s3_bucket_versionings',
            'aws_s3_bucket_loggings',
        ] %}
    {%- for table_name in tables %}
        coalesce(max(case
            when table_name = '{{ table_name }}' and is_available then 1
            end), 0) = 1 as has_{{ table_name }},
        max(case
            when table_name = '{{ table_name }}' then availability_reason
            end) as reason_{{ table_name }}{{ ',' if not loop.last }}
    
    {%- endfor %}
    from source_tables

)

select * from final
