-- Data classification: every data store (S3 buckets, RDS instances and
-- clusters, DynamoDB tables, EBS volumes, EFS file systems, Redshift
-- clusters) carries one of the tag keys of var
-- soc2_data_classification_tag_keys, with a value from
-- var soc2_data_classification_tag_values when that list is not empty.
-- Without tag keys the control is not_evaluated and names the var.
{%- set tag_keys = var('soc2_data_classification_tag_keys', []) or [] %}
{%- set tag_values = var('soc2_data_classification_tag_values', []) or [] %}
{% call soc2.control_family() %}
with buckets as (

    select * from {{ ref('stg_soc2__aws_s3_buckets') }}

),

rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_clusters as (

    select * from {{ ref('stg_soc2__aws_rds_clusters') }}

),

dynamodb_tables as (

    select * from {{ ref('stg_soc2__aws_dynamodb_tables') }}

),

ebs_volumes as (

    select * from {{ ref('stg_soc2__aws_ec2_ebs_volumes') }}

),

efs_filesystems as (

    select * from {{ ref('stg_soc2__aws_efs_filesystems') }}

),

redshift_clusters as (

    select * from {{ ref('stg_soc2__aws_redshift_clusters') }}

),

data_stores as (

    select
        account_id, region, 'aws_s3_bucket' as resource_type, bucket_arn as resource_id,
        bucket_name as resource_name, tags, source_relation, synced_at
    from buckets
    union all
    select
        account_id, region, 'aws_rds_instance' as resource_type, db_instance_arn as resource_id,
        db_instance_identifier as resource_name, tags, source_relation, synced_at
    from rds_instances
    union all
    select
        account_id, region, 'aws_rds_cluster' as resource_type, db_cluster_arn as resource_id,
        db_cluster_identifier as resource_name, tags, source_relation, synced_at
    from rds_clusters
    union all
    select
        account_id, region, 'aws_dynamodb_table' as resource_type, arn as resource_id,
        table_name as resource_name, tags, source_relation, synced_at
    from dynamodb_tables
    union all
    select
        account_id, region, 'aws_ebs_volume' as resource_type, arn as resource_id,
        volume_id as resource_name, tags, source_relation, synced_at
    from ebs_volumes
    union all
    select
        account_id, region, 'aws_efs_filesystem' as resource_type, arn as resource_id,
        file_system_id as resource_name, tags, source_relation, synced_at
    from efs_filesystems
    union all
    select
        account_id, region, 'aws_redshift_cluster' as resource_type, cluster_arn as resource_id,
        cluster_identifier as resource_name, tags, source_relation, synced_at
    from redshift_clusters

),

classification_tags as (

    select
        *,
        {%- if tag_keys %}
        coalesce(
            {%- for key in tag_keys %}
            {{ soc2.json_element_text(soc2.json_value_at_key('tags', "'" ~ key ~ "'")) }}{{ ',' if not loop.last }}
            {%- endfor %}
            {%- if tag_keys | length == 1 %}, cast(null as {{ dbt.type_string() }}){% endif %}
        ) as classification
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as classification
        {%- endif %}
    from data_stores

),

data_classification_tags as (

    select
        'aws_data_classification_tags' as control_id,
        account_id,
        region,
        resource_type,
        resource_id,
        {%- if not tag_keys %}
        'not_evaluated' as status,
        'the var soc2_data_classification_tag_keys is empty: name the tag key(s) that carry the data classification' as reason,
        {%- else %}
        case
            when nullif(classification, '') is null then 'fail'
            {%- if tag_values %}
            when lower(classification) not in (
                {%- for value in tag_values %}'{{ value | lower }}'{{ ', ' if not loop.last }}{% endfor -%}
            ) then 'fail'
            {%- endif %}
            else 'pass'
        end as status,
        case
            when nullif(classification, '') is null
                then resource_type || ' ' || coalesce(resource_name, resource_id)
                || ' has no data-classification tag; tag it with {{ tag_keys | join(" or ") }}'
            {%- if tag_values %}
            when lower(classification) not in (
                {%- for value in tag_values %}'{{ value | lower }}'{{ ', ' if not loop.last }}{% endfor -%}
            )
                then resource_type || ' ' || coalesce(resource_name, resource_id) || ' is classified ''' || classification
                || ''', not one of {{ tag_values | join(", ") }}; correct the tag value'
            {%- endif %}
            else 'the data store is classified ' || classification
        end as reason,
        {%- endif %}
        'classification=' || coalesce(nullif(classification, ''), 'none') as evidence,
        source_relation,
        synced_at
    from classification_tags

),

final as (

    select * from data_classification_tags

)

select * from final
{% endcall %}
