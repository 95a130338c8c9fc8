{#- The thresholds the controls read, with their floors. `direction` says
    which way is looser: a maximum that is raised, or a minimum that is
    lowered, past the floor. -#}
{% macro threshold_definitions() -%}
    {{ return([
        {'var': 'soc2_access_key_max_age_days', 'control_id': 'aws_iam_access_keys_rotated', 'floor': 90, 'direction': 'max'},
        {'var': 'soc2_unused_credentials_max_days', 'control_id': 'aws_iam_unused_credentials_disabled', 'floor': 90, 'direction': 'max'},
        {'var': 'soc2_password_max_age_days', 'control_id': 'aws_iam_password_policy_strong', 'floor': 90, 'direction': 'max'},
        {'var': 'soc2_password_min_length', 'control_id': 'aws_iam_password_policy_strong', 'floor': 14, 'direction': 'min'},
        {'var': 'soc2_password_reuse_prevention', 'control_id': 'aws_iam_password_policy_strong', 'floor': 24, 'direction': 'min'},
        {'var': 'soc2_root_unused_min_days', 'control_id': 'aws_iam_root_not_used_recently', 'floor': 90, 'direction': 'min'},
        {'var': 'soc2_stale_role_max_days', 'control_id': 'aws_iam_stale_roles', 'floor': 90, 'direction': 'max'},
        {'var': 'soc2_log_group_min_retention_days', 'control_id': 'aws_log_group_retention', 'floor': 365, 'direction': 'min'},
        {'var': 'soc2_guardduty_finding_max_age_days', 'control_id': 'aws_guardduty_findings_addressed', 'floor': 30, 'direction': 'max'},
        {'var': 'soc2_guardduty_finding_min_severity', 'control_id': 'aws_guardduty_findings_addressed', 'floor': 7, 'direction': 'max'},
    ]) }}
{%- endmacro %}
