{#- IAM actions whose effect depends on which IAM entity they target, with the
    kind of entity they act on and the edge they create from the caller to
    the principals that entity governs. Used to match the caller's resource
    patterns against the inventory's own ARNs (a grant limited to
    arn:aws:iam::aws:policy/* can edit nothing: AWS-managed policies are not
    writable). -#}
{% macro iam_escalation_actions() -%}
    {{ return([
        ('iam:createaccesskey', 'user', 'create_credentials'),
        ('iam:createloginprofile', 'user', 'create_credentials'),
        ('iam:updateloginprofile', 'user', 'create_credentials'),
        ('iam:attachuserpolicy', 'user', 'modify_policy'),
        ('iam:putuserpolicy', 'user', 'modify_policy'),
        ('iam:attachrolepolicy', 'role', 'modify_policy'),
        ('iam:putrolepolicy', 'role', 'modify_policy'),
        ('iam:updateassumerolepolicy', 'role', 'modify_trust'),
        ('iam:passrole', 'role', 'pass_role'),
        ('sts:assumerole', 'role', 'assume_role'),
        ('iam:attachgrouppolicy', 'group', 'modify_policy'),
        ('iam:putgrouppolicy', 'group', 'modify_policy'),
        ('iam:addusertogroup', 'group', 'join_group'),
        ('iam:createpolicyversion', 'policy', 'modify_policy'),
        ('iam:setdefaultpolicyversion', 'policy', 'modify_policy'),
    ]) }}
{%- endmacro %}

{#- Services a passed role can run code as, and the action that starts the
    code (pass_role + that action = the caller acts as the role). -#}
{% macro compute_service_launch_actions() -%}
    {{ return([
        ('ec2.amazonaws.com', 'ec2:runinstances'),
        ('lambda.amazonaws.com', 'lambda:createfunction'),
        ('cloudformation.amazonaws.com', 'cloudformation:createstack'),
        ('glue.amazonaws.com', 'glue:createdevendpoint'),
        ('codebuild.amazonaws.com', 'codebuild:createproject'),
        ('ecs-tasks.amazonaws.com', 'ecs:runtask'),
        ('sagemaker.amazonaws.com', 'sagemaker:createnotebookinstance'),
        ('datapipeline.amazonaws.com', 'datapipeline:createpipeline'),
    ]) }}
{%- endmacro %}

{#- The target-dependent actions through which a caller acts as another
    principal (assume a role, pass one, create a user's credentials, rewrite
    a role's trust), and those that change a principal's permissions. -#}
{% macro iam_act_actions() -%}
    {%- set found = [] -%}
    {%- for action_key, target_type, edge_kind in soc2.iam_escalation_actions() -%}
        {%- if edge_kind in ('assume_role', 'pass_role', 'create_credentials', 'modify_trust') -%}
            {%- do found.append(action_key) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{% macro iam_modify_actions() -%}
    {%- set found = [] -%}
    {%- for action_key, target_type, edge_kind in soc2.iam_escalation_actions() -%}
        {%- if edge_kind == 'modify_policy' -%}
            {%- do found.append(action_key) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
