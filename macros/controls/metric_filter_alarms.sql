{#- The classes of CloudTrail event that CIS asks a metric filter and alarm
    for (controls aws_mf_alarm_<class>). Each class lists the terms its
    filter pattern must contain, written `field=value` (or `field!=value`,
    `field notexists`) as in the CIS patterns; a pattern matches a class when
    every term appears in it once both are normalised by
    soc2.metric_filter_pattern_text() (case, spaces, quotes, brackets and
    `$.` dropped), so `{ ($.eventName = "DeleteTrail") }` and
    `{($.eventName=DeleteTrail)}` read alike. Terms are required, not
    exclusive: a pattern that also matches other events still counts. -#}
{% macro metric_filter_alarm_classes() -%}
    {{ return([
        {'class': 'unauthorized_api_calls', 'label': 'unauthorized API calls',
         'terms': ['errorCode=*UnauthorizedOperation', 'errorCode=AccessDenied*']},
        {'class': 'console_signin_without_mfa', 'label': 'console sign-in without MFA',
         'terms': ['eventName=ConsoleLogin', 'additionalEventData.MFAUsed!=Yes']},
        {'class': 'root_usage', 'label': 'root account usage',
         'terms': ['userIdentity.type=Root', 'userIdentity.invokedBy notexists',
                   'eventType!=AwsServiceEvent']},
        {'class': 'iam_policy_changes', 'label': 'IAM policy changes',
         'terms': soc2.metric_filter_event_terms([
             'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy',
             'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy',
             'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy',
             'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy',
             'AttachGroupPolicy', 'DetachGroupPolicy'])},
        {'class': 'cloudtrail_config_changes', 'label': 'CloudTrail configuration changes',
         'terms': soc2.metric_filter_event_terms([
             'CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'])},
        {'class': 'console_auth_failures', 'label': 'console authentication failures',
         'terms': ['eventName=ConsoleLogin', 'errorMessage=Failed authentication']},
        {'class': 'kms_cmk_disable_delete', 'label': 'disabling or scheduled deletion of KMS keys',
         'terms': ['eventSource=kms.amazonaws.com']
             + soc2.metric_filter_event_terms(['DisableKey', 'ScheduleKeyDeletion'])},
        {'class': 's3_bucket_policy_changes', 'label': 'S3 bucket policy changes',
         'terms': ['eventSource=s3.amazonaws.com']
             + soc2.metric_filter_event_terms([
                 'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle',
                 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors',
                 'DeleteBucketLifecycle', 'DeleteBucketReplication'])},
        {'class': 'config_changes', 'label': 'AWS Config configuration changes',
         'terms': ['eventSource=config.amazonaws.com']
             + soc2.metric_filter_event_terms([
                 'StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel',
                 'PutConfigurationRecorder'])},
        {'class': 'security_group_changes', 'label': 'security group changes',
         'terms': soc2.metric_filter_event_terms([
             'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress',
             'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress',
             'CreateSecurityGroup', 'DeleteSecurityGroup'])},
        {'class': 'nacl_changes', 'label': 'network ACL changes',
         'terms': soc2.metric_filter_event_terms([
             'CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl',
             'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'])},
        {'class': 'network_gateway_changes', 'label': 'network gateway changes',
         'terms': soc2.metric_filter_event_terms([
             'CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway',
             'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'])},
        {'class': 'route_table_changes', 'label': 'route table changes',
         'terms': soc2.metric_filter_event_terms([
             'CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation',
             'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'])},
        {'class': 'vpc_changes', 'label': 'VPC changes',
         'terms': soc2.metric_filter_event_terms([
             'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection',
             'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection',
             'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc',
             'DisableVpcClassicLink', 'EnableVpcClassicLink'])},
        {'class': 'organizations_changes', 'label': 'AWS Organizations changes',
         'terms': ['eventSource=organizations.amazonaws.com']
             + soc2.metric_filter_event_terms([
                 'AcceptHandshake', 'AttachPolicy', 'CreateAccount',
                 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake',
                 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy',
                 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType',
                 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount',
                 'RemoveAccountFromOrganization', 'UpdatePolicy',
                 'UpdateOrganizationalUnit'])},
    ]) }}
{%- endmacro %}


{#- `eventName=<name>` for each name. -#}
{% macro metric_filter_event_terms(event_names) -%}
    {%- set terms = [] -%}
    {%- for event_name in event_names -%}
        {%- do terms.append('eventName=' ~ event_name) -%}
    {%- endfor -%}
    {{ return(terms) }}
{%- endmacro %}


{#- A term as it is searched for in a normalised pattern: lower case, no
    spaces or quotes, between the separators that
    metric_filter_pattern_text() puts around every comparison. -#}
{% macro metric_filter_term_text(term) -%}
    {{ return(',' ~ (term | lower | replace(' ', '') | replace('"', '') | replace("'", '')) ~ ',') }}
{%- endmacro %}


{#- SQL: a metric filter pattern normalised for term search. Lower case;
    spaces and quotes removed; `$.`, brackets, braces, `||` and `&&` turned
    into the separator `,` (so `eventName=DeletePolicy` does not match
    `eventName=DeletePolicyVersion`). -#}
{% macro metric_filter_pattern_text(pattern_expr) -%}
    ',' || {%- for old in ['$.', '(', ')', '{', '}', '|', '&'] %} replace({%- endfor %}
    replace(replace(replace(lower(coalesce({{ pattern_expr }}, '')), ' ', ''), '"', ''), '''', '')
    {%- for old in ['$.', '(', ')', '{', '}', '|', '&'] %}, '{{ old }}', ','){%- endfor %} || ','
{%- endmacro %}
