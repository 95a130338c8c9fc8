-- KMS and Secrets Manager controls: customer-managed symmetric keys rotate
-- automatically (aws_kms_key_rotation_statuses, plugin v26+, when it has the
-- key, else aws_kms_keys.rotation_enabled); customer-managed keys are not
-- pending deletion; secrets rotate, on their schedule; secrets not read for
-- var soc2_secrets_unused_days are reported unused.
{% call soc2.control_family() %}
with keys as (

    select * from {{ ref('stg_soc2__aws_kms_keys') }}

),

rotation_statuses as (

    select * from {{ ref('stg_soc2__aws_kms_key_rotation_statuses') }}

),

secrets as (

    select * from {{ ref('stg_soc2__aws_secretsmanager_secrets') }}

),

key_rotation as (

    select
        keys.account_id,
        keys.region,
        keys.arn,
        keys.key_id,
        keys.key_manager,
        keys.key_spec,
        keys.key_state,
        rotation_statuses.key_rotation_enabled as status_rotation_enabled,
        keys.rotation_enabled as key_rotation_enabled,
        coalesce(rotation_statuses.key_rotation_enabled, keys.rotation_enabled) as rotation_enabled,
        case
            when rotation_statuses.key_rotation_enabled is not null then 'aws_kms_key_rotation_statuses'
            when keys.rotation_enabled is not null then 'aws_kms_keys'
        end as rotation_read_from,
        keys.source_relation,
        keys.synced_at
    from keys
    left join rotation_statuses
        on keys.arn = rotation_statuses.key_arn

),

kms_cmk_rotation as (

    select
        'aws_kms_cmk_rotation' as control_id,
        account_id,
        region,
        'aws_kms_key' as resource_type,
        arn as resource_id,
        case
            when coalesce(key_manager, '') <> 'CUSTOMER' then 'not_applicable'
            when coalesce(key_spec, '') <> 'SYMMETRIC_DEFAULT' then 'not_applicable'
            when coalesce(key_state, '') <> 'Enabled' then 'not_applicable'
            when rotation_enabled is null then 'not_evaluated'
            when rotation_enabled then 'pass'
            else 'fail'
        end as status,
        case
            when coalesce(key_manager, '') <> 'CUSTOMER'
                then 'key ' || key_id || ' is managed by AWS (' || coalesce(key_manager, 'unknown')
                || '), which rotates it itself'
            when coalesce(key_spec, '') <> 'SYMMETRIC_DEFAULT'
                then 'key ' || key_id || ' is ' || coalesce(key_spec, 'of unknown spec')
                || ': automatic rotation applies to symmetric encryption keys only'
            when coalesce(key_state, '') <> 'Enabled'
                then 'key ' || key_id || ' is ' || coalesce(key_state, 'in an unknown state')
                || ', not in use for encryption'
            when rotation_enabled is null
                then 'the rotation status of key ' || key_id
                || ' was not synced (neither aws_kms_key_rotation_statuses nor aws_kms_keys.rotation_enabled has it)'
            when rotation_enabled then 'automatic rotation of the key material is enabled'
            else 'customer-managed key ' || key_id
                || ' does not rotate its key material; enable automatic key rotation (EnableKeyRotation)'
        end as reason,
        'key_manager=' || coalesce(key_manager, 'null')
        || '; key_spec=' || coalesce(key_spec, 'null')
        || '; key_state=' || coalesce(key_state, 'null')
        || '; rotation_enabled=' || coalesce(cast(rotation_enabled as {{ dbt.type_string() }}), 'null')
        || '; read_from=' || coalesce(rotation_read_from, 'none') as evidence,
        source_relation,
        synced_at
    from key_rotation

),

kms_cmk_not_pending_deletion as (

    select
        'aws_kms_cmk_not_pending_deletion' as control_id,
        account_id,
        region,
        'aws_kms_key' as resource_type,
        arn as resource_id,
        case
            when coalesce(key_manager, '') <> 'CUSTOMER' then 'not_applicable'
            when key_state is null then 'not_evaluated'
            when key_state in ('PendingDeletion', 'PendingReplicaDeletion') then 'fail'
            else 'pass'
        end as status,
        case
            when coalesce(key_manager, '') <> 'CUSTOMER'
                then 'key ' || key_id || ' is managed by AWS and cannot be scheduled for deletion'
            when key_state is null then 'the state of key ' || key_id || ' was not synced'
            when key_state in ('PendingDeletion', 'PendingReplicaDeletion')
                then 'customer-managed key ' || key_id || ' is scheduled for deletion'
                || coalesce(' on ' || {{ soc2.date_text('deletion_date') }}, '')
                || '; data encrypted under it becomes unrecoverable: cancel the deletion (CancelKeyDeletion) unless it is intended and nothing uses the key'
            else 'the key is not scheduled for deletion'
        end as reason,
        'key_state=' || coalesce(key_state, 'null')
        || '; deletion_date=' || coalesce({{ soc2.date_text('deletion_date') }}, 'none') as evidence,
        source_relation,
        synced_at
    from keys

),

secret_rotation as (

    select
        account_id,
        region,
        arn,
        name,
        rotation_enabled,
        last_rotated_date,
        last_accessed_date,
        created_date,
        coalesce(
            cast({{ soc2.json_text('rotation_rules', ['AutomaticallyAfterDays']) }} as {{ dbt.type_int() }}),
            {{ var('soc2_secrets_rotation_max_days', 90) | int }}
        ) as rotation_interval_days,
        {{ soc2.days_before_as_of('coalesce(last_rotated_date, created_date)') }} as days_since_rotation,
        {{ soc2.days_before_as_of('coalesce(last_accessed_date, created_date)') }} as days_since_access,
        source_relation,
        synced_at
    from secrets

),

secrets_rotation_enabled as (

    select
        'aws_secrets_rotation_enabled' as control_id,
        account_id,
        region,
        'aws_secretsmanager_secret' as resource_type,
        arn as resource_id,
        case
            when not coalesce(rotation_enabled, false) then 'fail'
            when days_since_rotation is null then 'not_evaluated'
            when days_since_rotation > rotation_interval_days then 'fail'
            else 'pass'
        end as status,
        case
            when not coalesce(rotation_enabled, false)
                then 'secret ' || name || ' has no automatic rotation; configure a rotation schedule (and rotation function) for it'
            when days_since_rotation is null
                then 'neither the last rotation nor the creation date of secret ' || name || ' was synced'
            when days_since_rotation > rotation_interval_days
                then 'secret ' || name || ' last rotated '
                || cast(days_since_rotation as {{ dbt.type_string() }}) || ' days ago, beyond its '
                || cast(rotation_interval_days as {{ dbt.type_string() }})
                || '-day schedule; check the rotation function and rotate it'
            else 'rotation is enabled and the secret rotated within its schedule'
        end as reason,
        'rotation_enabled=' || coalesce(cast(rotation_enabled as {{ dbt.type_string() }}), 'null')
        || '; interval_days=' || cast(rotation_interval_days as {{ dbt.type_string() }})
        || '; last_rotated=' || coalesce({{ soc2.date_text('last_rotated_date') }}, 'never') as evidence,
        source_relation,
        synced_at
    from secret_rotation

),

secrets_unused as (

    select
        'aws_secrets_unused' as control_id,
        account_id,
        region,
        'aws_secretsmanager_secret' as resource_type,
        arn as resource_id,
        case
            when days_since_access is null then 'not_evaluated'
            when days_since_access > {{ var('soc2_secrets_unused_days', 90) | int }} then 'fail'
            else 'pass'
        end as status,
        case
            when days_since_access is null
                then 'neither the last access nor the creation date of secret ' || name || ' was synced'
            when days_since_access > {{ var('soc2_secrets_unused_days', 90) | int }}
                then 'secret ' || name || ' was '
                || case when last_accessed_date is null then 'never read since its creation ' else 'last read ' end
                || cast(days_since_access as {{ dbt.type_string() }})
                || ' days ago (limit {{ var('soc2_secrets_unused_days', 90) | int }}); delete it if nothing needs it'
            else 'the secret was read within {{ var('soc2_secrets_unused_days', 90) | int }} days'
        end as reason,
        'last_accessed=' || coalesce({{ soc2.date_text('last_accessed_date') }}, 'never')
        || '; created=' || coalesce({{ soc2.date_text('created_date') }}, 'null') as evidence,
        source_relation,
        synced_at
    from secret_rotation

),

final as (

    select * from kms_cmk_rotation
    union all
    select * from kms_cmk_not_pending_deletion
    union all
    select * from secrets_rotation_enabled
    union all
    select * from secrets_unused

)

select * from final
{% endcall %}
