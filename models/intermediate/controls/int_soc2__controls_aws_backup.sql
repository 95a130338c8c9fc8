-- AWS Backup controls. Coverage: one row per resource of a backed-up kind
-- (EFS, DynamoDB, EBS, EC2, RDS instances and clusters, FSx), passing when
-- AWS Backup lists it as a protected resource, or a backup plan selection of
-- its account and region names it by ARN or ARN pattern (minus the
-- selection's NotResources), or its service's own backup is on (EFS backup
-- policy, FSx automatic backups). Tag-based selections (ListOfTags,
-- Conditions) are not evaluated. Then the AWS Backup estate itself: plan
-- rules (daily or faster, retention >= var soc2_backup_min_retention_days),
-- recovery point retention and encryption, vault deletion protection (Vault
-- Lock or a Deny of recovery point deletion), report plans per account, and
-- restore evidence per account (last_restore_time, a proxy).
{% call soc2.control_family() %}
{%- set min_retention_days = var('soc2_backup_min_retention_days', 35) | int -%}
{%- set restore_max_age_days = var('soc2_restore_evidence_max_age_days', 365) | int -%}
with protected_resources as (

    select * from {{ ref('stg_soc2__aws_backup_protected_resources') }}

),

{#- whether AWS Backup's protected-resource list was synced: without it, a
    resource no selection names may still be protected (tag-based selections,
    on-demand backups), so it is not_evaluated rather than failing #}
protected_list as (

    select
        max(case when is_available then 1 else 0 end) = 1 as is_synced,
        max(availability_reason) as availability_reason
    from {{ ref('stg_soc2__aws_source_tables') }}
    where table_name = 'aws_backup_protected_resources'

),

plan_selections as (

    select * from {{ ref('stg_soc2__aws_backup_plan_selections') }}

),

plans as (

    select * from {{ ref('stg_soc2__aws_backup_plans') }}

),

vaults as (

    select * from {{ ref('stg_soc2__aws_backup_vaults') }}

),

recovery_points as (

    select * from {{ ref('stg_soc2__aws_backup_vault_recovery_points') }}

),

report_plans as (

    select * from {{ ref('stg_soc2__aws_backup_report_plans') }}

),

accounts as (

    select * from {{ ref('int_soc2__aws_accounts') }}

),

efs_filesystems as (

    select * from {{ ref('stg_soc2__aws_efs_filesystems') }}

),

dynamodb_tables as (

    select * from {{ ref('stg_soc2__aws_dynamodb_tables') }}

),

ebs_volumes as (

    select * from {{ ref('stg_soc2__aws_ec2_ebs_volumes') }}

),

ec2_instances as (

    select * from {{ ref('stg_soc2__aws_ec2_instances') }}

),

rds_instances as (

    select * from {{ ref('stg_soc2__aws_rds_instances') }}

),

rds_clusters as (

    select * from {{ ref('stg_soc2__aws_rds_clusters') }}

),

fsx_file_systems as (

    select * from {{ ref('stg_soc2__aws_fsx_file_systems') }}

),

-- Coverage: every resource a *_backup control decides, in one list ----------

backup_targets as (

    select
        'aws_efs_backup' as control_id,
        account_id,
        region,
        'aws_efs_file_system' as resource_type,
        arn as resource_arn,
        file_system_id as resource_name,
        upper(coalesce(backup_policy_status, '')) = 'ENABLED' as has_native_backup,
        'efs_backup_policy=' || coalesce(backup_policy_status, 'none') as native_evidence,
        cast(null as {{ dbt.type_string() }}) as not_applicable_reason,
        source_relation,
        synced_at
    from efs_filesystems
    union all
    select
        'aws_dynamodb_backup_plan',
        account_id,
        region,
        'aws_dynamodb_table',
        arn,
        table_name,
        false,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        source_relation,
        synced_at
    from dynamodb_tables
    union all
    select
        'aws_ebs_backup',
        account_id,
        region,
        'aws_ebs_volume',
        arn,
        volume_id,
        false,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        source_relation,
        synced_at
    from ebs_volumes
    union all
    select
        'aws_ec2_backup',
        account_id,
        region,
        'aws_ec2_instance',
        arn,
        instance_id,
        false,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        source_relation,
        synced_at
    from ec2_instances
    where coalesce({{ soc2.json_text('state', ['Name']) }}, '') not in ('terminated', 'shutting-down')
    union all
    select
        'aws_rds_backup_plan',
        account_id,
        region,
        'aws_rds_db_instance',
        db_instance_arn,
        db_instance_identifier,
        false,
        cast(null as {{ dbt.type_string() }}),
        case
            when db_cluster_identifier is not null
                then 'instance of cluster ' || db_cluster_identifier || ': AWS Backup protects the cluster, decided on the cluster'
        end,
        source_relation,
        synced_at
    from rds_instances
    union all
    select
        'aws_rds_backup_plan',
        account_id,
        region,
        'aws_rds_db_cluster',
        db_cluster_arn,
        db_cluster_identifier,
        false,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        source_relation,
        synced_at
    from rds_clusters
    union all
    select
        'aws_fsx_backup_plan',
        account_id,
        region,
        'aws_fsx_file_system',
        arn,
        file_system_id,
        coalesce(cast(coalesce(
            {{ soc2.json_text('windows_configuration', ['AutomaticBackupRetentionDays']) }},
            {{ soc2.json_text('ontap_configuration', ['AutomaticBackupRetentionDays']) }},
            {{ soc2.json_text('open_zfs_configuration', ['AutomaticBackupRetentionDays']) }},
            {{ soc2.json_text('lustre_configuration', ['AutomaticBackupRetentionDays']) }}
        ) as {{ dbt.type_bigint() }}), 0) > 0,
        'fsx_automatic_backup_retention_days=' || coalesce(
            {{ soc2.json_text('windows_configuration', ['AutomaticBackupRetentionDays']) }},
            {{ soc2.json_text('ontap_configuration', ['AutomaticBackupRetentionDays']) }},
            {{ soc2.json_text('open_zfs_configuration', ['AutomaticBackupRetentionDays']) }},
            {{ soc2.json_text('lustre_configuration', ['AutomaticBackupRetentionDays']) }},
            'none'),
        cast(null as {{ dbt.type_string() }}),
        source_relation,
        synced_at
    from fsx_file_systems

),

selection_patterns as (

    select
        plan_selections.account_id,
        plan_selections.region,
        plan_selections.plan_arn || '/' || coalesce(plan_selections.selection_id, '') as selection_key,
        coalesce({{ soc2.json_text('plan_selections.backup_selection', ['SelectionName']) }},
            plan_selections.selection_id) as selection_name,
        'include' as pattern_kind,
        {{ soc2.json_element_text('resource_pattern') }} as resource_pattern
    from plan_selections
    {{ soc2.unnest_lateral(soc2.json_as_array(soc2.json_value('plan_selections.backup_selection', ['Resources'])),
        'resource_pattern', 'resource_index', 'included_resources') }}
    union all
    select
        plan_selections.account_id,
        plan_selections.region,
        plan_selections.plan_arn || '/' || coalesce(plan_selections.selection_id, '') as selection_key,
        coalesce({{ soc2.json_text('plan_selections.backup_selection', ['SelectionName']) }},
            plan_selections.selection_id) as selection_name,
        'exclude' as pattern_kind,
        {{ soc2.json_element_text('excluded_pattern') }} as resource_pattern
    from plan_selections
    {{ soc2.unnest_lateral(soc2.json_as_array(soc2.json_value('plan_selections.backup_selection', ['NotResources'])),
        'excluded_pattern', 'excluded_index', 'excluded_resources') }}

),

selection_matches as (

    select
        backup_targets.resource_arn,
        selection_patterns.selection_key,
        selection_patterns.selection_name,
        max(case when selection_patterns.pattern_kind = 'include' then 1 else 0 end) as is_included,
        max(case when selection_patterns.pattern_kind = 'exclude' then 1 else 0 end) as is_excluded
    from backup_targets
    inner join selection_patterns
        on backup_targets.account_id = selection_patterns.account_id
        and backup_targets.region = selection_patterns.region
        and {{ soc2.wildcard_match('backup_targets.resource_arn', 'selection_patterns.resource_pattern') }}
    group by backup_targets.resource_arn, selection_patterns.selection_key, selection_patterns.selection_name

),

selected_resources as (

    select
        resource_arn,
        {{ soc2.string_agg_distinct('selection_name', ', ') }} as selection_names
    from selection_matches
    where is_included = 1 and is_excluded = 0
    group by resource_arn

),

protected_arns as (

    select
        resource_arn,
        max(last_backup_time) as last_backup_time
    from protected_resources
    group by resource_arn

),

backup_coverage as (

    select
        backup_targets.*,
        protected_arns.resource_arn is not null as is_protected,
        coalesce(protected_list.is_synced, false) as is_protected_list_synced,
        protected_list.availability_reason as protected_list_reason,
        protected_arns.last_backup_time,
        selected_resources.selection_names
    from backup_targets
    left join protected_arns
        on backup_targets.resource_arn = protected_arns.resource_arn
    left join selected_resources
        on backup_targets.resource_arn = selected_resources.resource_arn
    cross join protected_list

),

coverage_results as (

    select
        control_id,
        account_id,
        region,
        resource_type,
        resource_arn as resource_id,
        case
            when not_applicable_reason is not null then 'not_applicable'
            when is_protected or selection_names is not null or has_native_backup then 'pass'
            when not is_protected_list_synced then 'not_evaluated'
            else 'fail'
        end as status,
        case
            when not_applicable_reason is not null then not_applicable_reason
            when is_protected
                then resource_name || ' is an AWS Backup protected resource (last backup '
                || coalesce({{ soc2.date_text('last_backup_time') }}, 'unknown') || ')'
            when selection_names is not null
                then resource_name || ' is selected by the backup plan selection ' || selection_names
            when has_native_backup
                then resource_name || ' is backed up by its service (' || native_evidence || ')'
            when not is_protected_list_synced
                then 'no backup plan selection names ' || resource_name || ' by ARN, and without '
                || 'aws_backup_protected_resources (' || coalesce(protected_list_reason, 'not synced')
                || ') a tag-based selection or on-demand backup cannot be seen; sync it to evaluate the resource'
            else resource_name || ' is not protected by AWS Backup and no backup plan selection names it by ARN;'
                || ' add it to a backup plan (tag-based selections are not evaluated)'
        end as reason,
        'protected=' || case when is_protected then 'true' else 'false' end
        || '; selections=' || coalesce(selection_names, 'none')
        || coalesce('; ' || native_evidence, '') as evidence,
        source_relation,
        synced_at
    from backup_coverage

),

-- Backup plans: a rule daily or faster that keeps points long enough --------

plan_rules as (

    select
        plans.arn as plan_arn,
        {{ soc2.json_text('rule', ['RuleName']) }} as rule_name,
        trim(replace(replace({{ soc2.json_text('rule', ['ScheduleExpression']) }}, 'cron(', ''), ')', ''))
            as cron_fields,
        cast({{ soc2.json_text('rule', ['Lifecycle', 'DeleteAfterDays']) }} as {{ dbt.type_bigint() }})
            as delete_after_days
    from plans
    {{ soc2.unnest_lateral(soc2.json_as_array(soc2.json_value('plans.backup_plan', ['Rules'])),
        'rule', 'rule_index', 'rules') }}

),

plan_rule_checks as (

    select
        plan_arn,
        rule_name,
        delete_after_days,
        {#- cron(minutes hours day-of-month month day-of-week year): daily or
            faster when day of month, month and day of week are every day #}
        coalesce({{ soc2.list_item('cron_fields', ' ', 3) }} in ('*', '?')
        and {{ soc2.list_item('cron_fields', ' ', 4) }} = '*'
        and {{ soc2.list_item('cron_fields', ' ', 5) }} in ('*', '?'), false) as is_daily,
        coalesce(delete_after_days >= {{ min_retention_days }}, true) as keeps_long_enough
    from plan_rules

),

plan_rule_summary as (

    select
        plan_arn,
        count(*) as rule_count,
        max(case when is_daily and keeps_long_enough then 1 else 0 end) as has_compliant_rule,
        {{ soc2.string_agg_distinct(
            "coalesce(rule_name, '?') || ':' || case when is_daily then 'daily' else 'less-than-daily' end
            || '/' || coalesce(cast(delete_after_days as " ~ dbt.type_string() ~ ") || 'd', 'kept')", ', ') }}
            as rules_text
    from plan_rule_checks
    group by plan_arn

),

plan_retention as (

    select
        'aws_backup_plan_retention' as control_id,
        plans.account_id,
        plans.region,
        'aws_backup_plan' as resource_type,
        plans.arn as resource_id,
        case when plan_rule_summary.has_compliant_rule = 1 then 'pass' else 'fail' end as status,
        case
            when plan_rule_summary.has_compliant_rule = 1
                then 'backup plan ' || coalesce({{ soc2.json_text('plans.backup_plan', ['BackupPlanName']) }}, plans.arn)
                || ' has a daily rule keeping recovery points at least {{ min_retention_days }} days'
            else 'backup plan ' || coalesce({{ soc2.json_text('plans.backup_plan', ['BackupPlanName']) }}, plans.arn)
                || ' has no rule that runs at least daily and keeps recovery points at least {{ min_retention_days }} days'
                || ' (var soc2_backup_min_retention_days); add or fix a rule'
        end as reason,
        'rules=' || coalesce(plan_rule_summary.rules_text, 'none') as evidence,
        plans.source_relation,
        plans.synced_at
    from plans
    left join plan_rule_summary
        on plans.arn = plan_rule_summary.plan_arn

),

-- Recovery points --------------------------------------------------------------

recovery_point_facts as (

    select
        recovery_points.*,
        cast({{ soc2.json_text('recovery_points.lifecycle', ['DeleteAfterDays']) }} as {{ dbt.type_bigint() }})
            as delete_after_days
    from recovery_points

),

recovery_point_retention as (

    select
        'aws_backup_recovery_point_retention' as control_id,
        account_id,
        region,
        'aws_backup_recovery_point' as resource_type,
        arn as resource_id,
        case when coalesce(delete_after_days >= {{ min_retention_days }}, true) then 'pass' else 'fail' end as status,
        case
            when delete_after_days is null then 'the recovery point of ' || coalesce(resource_arn, '?') || ' has no expiry'
            when delete_after_days >= {{ min_retention_days }}
                then 'the recovery point of ' || coalesce(resource_arn, '?') || ' is kept '
                || cast(delete_after_days as {{ dbt.type_string() }}) || ' days'
            else 'the recovery point of ' || coalesce(resource_arn, '?') || ' is deleted after '
                || cast(delete_after_days as {{ dbt.type_string() }})
                || ' days, under {{ min_retention_days }} (var soc2_backup_min_retention_days); lengthen the lifecycle of its backup rule'
        end as reason,
        'DeleteAfterDays=' || coalesce(cast(delete_after_days as {{ dbt.type_string() }}), 'none') as evidence,
        source_relation,
        synced_at
    from recovery_point_facts

),

recovery_points_encrypted as (

    select
        'aws_backup_recovery_points_encrypted' as control_id,
        account_id,
        region,
        'aws_backup_recovery_point' as resource_type,
        arn as resource_id,
        case
            when is_encrypted is null then 'not_evaluated'
            when is_encrypted then 'pass'
            else 'fail'
        end as status,
        case
            when is_encrypted is null then 'the sync did not record whether the recovery point is encrypted'
            when is_encrypted then 'the recovery point is encrypted'
            else 'the recovery point of ' || coalesce(resource_arn, '?') || ' in vault ' || coalesce(backup_vault_name, '?')
                || ' is not encrypted; back the resource up again into an encrypted vault and delete the unencrypted point'
        end as reason,
        'IsEncrypted=' || coalesce(cast(is_encrypted as {{ dbt.type_string() }}), 'null') as evidence,
        source_relation,
        synced_at
    from recovery_points
    union all
    select
        'aws_backup_recovery_points_encrypted' as control_id,
        account_id,
        region,
        'aws_backup_vault' as resource_type,
        arn as resource_id,
        case when encryption_key_arn is not null then 'pass' else 'fail' end as status,
        case
            when encryption_key_arn is not null then 'vault ' || backup_vault_name || ' encrypts recovery points with a KMS key'
            else 'vault ' || backup_vault_name || ' names no encryption key; create a vault with a KMS key and move the backup rules to it'
        end as reason,
        'EncryptionKeyArn=' || coalesce(encryption_key_arn, 'none') as evidence,
        source_relation,
        synced_at
    from vaults

),

recovery_points_encrypted_unavailable as (

    {{ soc2.unavailable_alternative_rows('aws_backup_recovery_points_encrypted',
        ['aws_backup_vaults', 'aws_backup_vault_recovery_points']) }}

),

-- Vaults: deletion of recovery points blocked ----------------------------------

{#- the vault access policies, parsed by the shared policy models (their
    malformed documents are in soc2__policy_quarantine) #}
vault_deny_statements as (

    select statement_id, owner_arn as vault_arn
    from {{ ref('int_soc2__aws_policy_statements') }}
    where document_kind = 'backup_vault_policy'
        and statement_problem is null
        and effect = 'Deny'

),

vault_deny_actions as (

    select
        vault_deny_statements.vault_arn,
        lower(elements.element_value) as action_pattern,
        elements.like_pattern
    from vault_deny_statements
    inner join {{ ref('int_soc2__aws_policy_statement_elements') }} as elements
        on vault_deny_statements.statement_id = elements.statement_id
    where elements.element_kind = 'action'

),

vault_deletion_denies as (

    select
        vault_arn,
        {{ soc2.string_agg_distinct('action_pattern', ', ') }} as deny_actions
    from vault_deny_actions
    where {{ soc2.like_match("'backup:deleterecoverypoint'", 'lower(like_pattern)') }}
    group by vault_arn

),

vault_deletion_protected as (

    select
        'aws_backup_vault_deletion_protected' as control_id,
        vaults.account_id,
        vaults.region,
        'aws_backup_vault' as resource_type,
        vaults.arn as resource_id,
        case
            when coalesce(vaults.locked, false) or vault_deletion_denies.vault_arn is not null then 'pass'
            else 'fail'
        end as status,
        case
            when coalesce(vaults.locked, false) then 'vault ' || vaults.backup_vault_name || ' is protected by Vault Lock'
            when vault_deletion_denies.vault_arn is not null
                then 'the access policy of vault ' || vaults.backup_vault_name || ' denies deleting recovery points'
            else 'recovery points in vault ' || vaults.backup_vault_name
                || ' can be deleted by hand; turn on Vault Lock or add a Deny of backup:DeleteRecoveryPoint to its access policy'
        end as reason,
        'locked=' || coalesce(cast(vaults.locked as {{ dbt.type_string() }}), 'null')
        || '; deny_actions=' || coalesce(vault_deletion_denies.deny_actions, 'none') as evidence,
        vaults.source_relation,
        vaults.synced_at
    from vaults
    left join vault_deletion_denies
        on vaults.arn = vault_deletion_denies.vault_arn

),

-- Account level: report plans and restore evidence ------------------------------

account_report_plans as (

    select
        account_id,
        count(*) as report_plan_count,
        {{ soc2.string_agg_distinct('report_plan_name', ', ') }} as report_plan_names,
        max(source_relation) as source_relation,
        max(synced_at) as synced_at
    from report_plans
    where upper(coalesce(deployment_status, '')) = 'COMPLETED'
    group by account_id

),

report_plans_exist as (

    select
        'aws_backup_report_plans' as control_id,
        accounts.account_id,
        'global' as region,
        'aws_account' as resource_type,
        accounts.account_id as resource_id,
        case when account_report_plans.account_id is not null then 'pass' else 'fail' end as status,
        case
            when account_report_plans.account_id is not null
                then 'AWS Backup Audit Manager report plans are deployed: ' || account_report_plans.report_plan_names
            else 'the account has no deployed AWS Backup Audit Manager report plan; create one (backup jobs or control compliance) as evidence of backups'
        end as reason,
        'report_plans=' || coalesce(cast(account_report_plans.report_plan_count as {{ dbt.type_string() }}), '0')
            as evidence,
        coalesce(account_report_plans.source_relation, 'aws_backup_report_plans') as source_relation,
        account_report_plans.synced_at
    from accounts
    left join account_report_plans
        on accounts.account_id = account_report_plans.account_id

),

account_restores as (

    select
        account_id,
        max(last_restore_time) as last_restore_time,
        max(source_relation) as source_relation,
        max(synced_at) as synced_at
    from recovery_points
    group by account_id

),

disaster_recovery_drills as (

    select
        'aws_disaster_recovery_drills' as control_id,
        accounts.account_id,
        'global' as region,
        'aws_account' as resource_type,
        accounts.account_id as resource_id,
        case
            when account_restores.last_restore_time is not null
                and {{ soc2.days_before_as_of('account_restores.last_restore_time') }} <= {{ restore_max_age_days }}
                then 'pass'
            else 'fail'
        end as status,
        case
            when account_restores.last_restore_time is null
                then 'no recovery point of the account was ever restored; run and document a restore test'
                || ' (restore jobs, restore testing plans and Elastic Disaster Recovery are not synced)'
            when {{ soc2.days_before_as_of('account_restores.last_restore_time') }} <= {{ restore_max_age_days }}
                then 'a recovery point was restored on ' || {{ soc2.date_text('account_restores.last_restore_time') }}
            else 'the last restore of a recovery point was on ' || {{ soc2.date_text('account_restores.last_restore_time') }}
                || ', more than {{ restore_max_age_days }} days ago (var soc2_restore_evidence_max_age_days); run a restore test'
        end as reason,
        'last_restore=' || coalesce({{ soc2.date_text('account_restores.last_restore_time') }}, 'never') as evidence,
        coalesce(account_restores.source_relation, 'aws_backup_vault_recovery_points') as source_relation,
        account_restores.synced_at
    from accounts
    left join account_restores
        on accounts.account_id = account_restores.account_id

),

final as (

    select * from coverage_results
    union all
    select * from plan_retention
    union all
    select * from recovery_point_retention
    union all
    select * from recovery_points_encrypted
    union all
    select * from recovery_points_encrypted_unavailable
    union all
    select * from vault_deletion_protected
    union all
    select * from report_plans_exist
    union all
    select * from disaster_recovery_drills

)

select * from final
{% endcall %}
