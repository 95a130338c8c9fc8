-- One row per VPC, subnet or interface flow log.
with source as (

    {{ soc2.cloudquery_source('aws_ec2_flow_logs',
        natural_key=['arn']) }}

),

renamed as (

    select
        account_id,
        region,
        arn as flow_log_arn,
        flow_log_id,
        resource_id as flow_resource_id,
        upper(deliver_logs_status) as deliver_logs_status,
        upper(flow_log_status) as flow_log_status,
        traffic_type,
        log_destination_type,
        _cq_id as cq_id,
        _cq_sync_time as synced_at,
        source_relation
    from source

)

select * from renamed
