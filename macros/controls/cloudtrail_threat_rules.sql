{#- The activity patterns aws_cloudtrail_threat_detection looks for in the
    CloudTrail event history: for each rule, the API actions (event names)
    whose use by one principal, as a share of the list, signals the pattern.
    A principal that used at least the rule's share (var
    soc2_cloudtrail_threat_thresholds) of a list's distinct actions within
    soc2_cloudtrail_threat_lookback_days is reported. Heuristics: legitimate
    administrators can match them. -#}
{% macro cloudtrail_threat_rules() -%}
    {{ return({
        'privilege_escalation': [
            'AddUserToGroup', 'AttachGroupPolicy', 'AttachRolePolicy', 'AttachUserPolicy',
            'CreateAccessKey', 'CreateLoginProfile', 'CreatePolicyVersion', 'DeleteRolePermissionsBoundary',
            'DeleteUserPermissionsBoundary', 'PassRole', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
            'SetDefaultPolicyVersion', 'UpdateAssumeRolePolicy', 'UpdateLoginProfile',
            'CreateFunction', 'UpdateFunctionCode', 'RunInstances', 'ModifyInstanceAttribute',
        ],
        'enumeration': [
            'GetAccountAuthorizationDetails', 'GetAccountSummary', 'GetCallerIdentity', 'ListAccessKeys',
            'ListAttachedRolePolicies', 'ListAttachedUserPolicies', 'ListBuckets', 'ListGroups', 'ListPolicies',
            'ListRoles', 'ListUsers', 'ListSecrets', 'ListFunctions20150331', 'DescribeInstances',
            'DescribeSecurityGroups', 'DescribeDBInstances', 'ListKeys', 'ListTopics',
        ],
        'llm_jacking': [
            'InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream',
            'ListFoundationModels', 'GetFoundationModelAvailability', 'GetModelInvocationLoggingConfiguration',
            'DeleteModelInvocationLoggingConfiguration', 'PutUseCaseForModelAccess', 'GetUseCaseForModelAccess',
            'CreateFoundationModelAgreement', 'ListFoundationModelAgreementOffers', 'PutFoundationModelEntitlement',
            'ListProvisionedModelThroughputs',
        ],
    }) }}
{%- endmacro %}
