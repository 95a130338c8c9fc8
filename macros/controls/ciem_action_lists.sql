{#- Actions that read data out of a service (data exfiltration when granted on
    every resource), and actions that hand out or reveal credentials. Written
    by the project from AWS's service authorization reference. -#}
{% macro data_exfiltration_actions() -%}
    {{ return([
        's3:getobject', 's3:getobjectversion', 'ssm:getparameter', 'ssm:getparameters',
        'ssm:getparametersbypath', 'secretsmanager:getsecretvalue', 'kms:decrypt',
        'dynamodb:getitem', 'dynamodb:scan', 'dynamodb:query', 'dynamodb:batchgetitem',
        'rds:copydbsnapshot', 'rds:createdbsnapshot', 'rds:modifydbsnapshotattribute',
        'ec2:createsnapshot', 'ec2:modifysnapshotattribute', 'ebs:getsnapshotblock',
        'glacier:getjoboutput', 'kinesis:getrecords', 'sqs:receivemessage',
        'logs:getlogevents', 'lambda:getfunction', 'codecommit:gitpull',
        'ecr:batchgetimage', 'athena:getqueryresults', 'redshift-data:getstatementresult',
    ]) }}
{%- endmacro %}

{% macro credentials_exposure_actions() -%}
    {{ return([
        'iam:createaccesskey', 'iam:updateaccesskey', 'iam:createloginprofile',
        'iam:updateloginprofile', 'iam:createservicespecificcredential',
        'iam:resetservicespecificcredential', 'iam:uploadsshpublickey',
        'iam:createvirtualmfadevice', 'sts:getfederationtoken', 'sts:getsessiontoken',
        'sts:assumerole', 'ecr:getauthorizationtoken', 'redshift:getclustercredentials',
        'rds-db:connect', 'sso:getrolecredentials', 'codeartifact:getauthorizationtoken',
        'lightsail:getinstanceaccessdetails', 'ec2:getpassworddata',
        'ec2-instance-connect:sendsshpublickey', 'ssm:startsession',
        'cognito-identity:getcredentialsforidentity', 'appsync:getapikey',
        'chime:createapikey', 'gamelift:requestuploadcredentials', 'mediapackage:rotatechannelcredentials',
        'sagemaker:createpresignednotebookinstanceurl',
    ]) }}
{%- endmacro %}

{% macro sql_list(values) -%}
    {%- for value in values %}'{{ value }}'{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}
