{#- The document kinds of int_soc2__aws_policy_documents that are resource
    policies: a policy attached to a resource that names who may use it in
    its Principal (DECISIONS 78). role_trust is the resource policy of a
    role; the others are read by the exposure and S3 controls. None of them
    grants permissions to an IAM principal of its own account by itself, so
    none enters the CIEM principal permissions (int_soc2__aws_statement_actions
    and int_soc2__aws_principal_policy_documents list IAM kinds only). -#}
{% macro resource_policy_kinds(include_role_trust=true) -%}
    {%- set kinds = [
        'bucket_policy', 'lambda_policy', 'sns_topic_policy', 'sqs_queue_policy',
        'ecr_repository_policy', 'kms_key_policy', 'secret_policy',
        'opensearch_domain_policy', 'glacier_vault_policy',
        'cloudwatch_logs_resource_policy', 'backup_vault_policy',
    ] -%}
    {%- if include_role_trust -%}
        {%- do return(['role_trust'] + kinds) -%}
    {%- endif -%}
    {%- do return(kinds) -%}
{%- endmacro %}
