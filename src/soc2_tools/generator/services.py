"""Workload services of every generated account and whether they log (and a few hardening facts).

Fills the tables of the service-logging controls: load balancers (classic and
v2 with their attributes), API Gateway stages (REST and HTTP), RDS instances
and clusters, Redshift clusters, WAF web ACLs (classic and v2),
CloudFront distributions, OpenSearch domains, EKS clusters, Route 53 hosted
zones and query-logging configurations, ECS task definitions, CodeBuild
projects and source credentials, EMR clusters and security configurations,
AppSync APIs, Athena workgroups, Step Functions state machines, Glue jobs and
Amazon MQ brokers.

Each resource is logged with a probability per service close to what
posture reviews find: access logs are on for about two thirds of load
balancers and distributions, control-plane logs for fewer EKS clusters,
execution logs for a minority of Step Functions and Glue jobs. Nobody turns
logging on everywhere at once, so the same account mixes logged and unlogged
resources. The first resource of each service in the organisation is logged
and the second is not, so each control passes and fails in the smallest demo.
CodeBuild projects add the hardening facts their controls read: a few keep AWS
keys in plaintext variables, embed credentials in a source URL or run in
privileged mode; RDS has IAM authentication on for some databases; EMR
clusters have Kerberos on some. RDS databases, Redshift clusters and
OpenSearch domains encrypt their storage mostly (the first of each kind does,
the second does not), drawn from a stream of their own.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from soc2_tools.generator.logging import ENABLED_REGIONS
from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import cq_id

TABLES = (
    "aws_elbv1_load_balancers",
    "aws_elbv2_load_balancers",
    "aws_elbv2_load_balancer_attributes",
    "aws_apigateway_rest_api_stages",
    "aws_apigatewayv2_api_stages",
    "aws_rds_instances",
    "aws_rds_clusters",
    "aws_redshift_clusters",
    "aws_waf_web_acls",
    "aws_wafv2_web_acls",
    "aws_cloudfront_distributions",
    "aws_elasticsearch_domains",
    "aws_eks_clusters",
    "aws_route53_hosted_zones",
    "aws_route53_hosted_zone_query_logging_configs",
    "aws_ecs_task_definitions",
    "aws_codebuild_projects",
    "aws_codebuild_source_credentials",
    "aws_emr_clusters",
    "aws_emr_security_configurations",
    "aws_appsync_graphql_apis",
    "aws_athena_work_groups",
    "aws_stepfunctions_state_machines",
    "aws_glue_jobs",
    "aws_mq_brokers",
)
WORKLOADS = ("orders", "payments", "search", "catalog", "ledger", "web", "reports", "auth")

Maker = Callable[["Ctx", bool], None]


class Ctx:
    """What a resource maker needs: the organisation, its stream, the account, region, name."""

    def __init__(self, org: Organisation, rng: random.Random, account: Account) -> None:
        self.org = org
        self.rng = rng
        self.account = account
        self.region = account.region
        self.name = ""
        self.index = 0
        self.encryption = rng

    def encrypted(self, rate: float) -> bool:
        """Whether the resource encrypts its data at rest: the first yes, the second no.

        Drawn from the encryption stream, so the logging facts stay as they were.
        """
        return self.index == 0 or (self.index > 1 and self.encryption.random() < rate)

    def kms_key(self) -> str:
        return self.arn("kms", f"key/{self.encryption.getrandbits(128):032x}")

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        where = self.region if region is None else region
        return f"arn:aws:{service}:{where}:{self.account_id}:{resource}"

    def add(self, table: str, natural: object, **row: object) -> None:
        self.org.add(table, {"_cq_id": cq_id(table, self.account_id, natural), **row})

    def hexid(self, length: int = 16) -> str:
        return f"{self.rng.getrandbits(4 * length):0{length}x}"

    def log_group(self, name: str) -> str:
        return self.arn("logs", f"log-group:{name}")


def _elbv1(c: Ctx, logged: bool) -> None:
    access: dict[str, object] = {"Enabled": logged, "EmitInterval": 60}
    if logged:
        access.update(S3BucketName=c.account.buckets[0], S3BucketPrefix="elb")
    arn = c.arn("elasticloadbalancing", f"loadbalancer/{c.name}")
    c.add(
        "aws_elbv1_load_balancers",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        load_balancer_name=c.name,
        scheme=c.rng.choice(("internet-facing", "internal")),
        attributes={"AccessLog": access, "CrossZoneLoadBalancing": {"Enabled": True}},
    )


def _elbv2(c: Ctx, logged: bool) -> None:
    kind = c.rng.choice(("application", "application", "network"))
    arn = c.arn("elasticloadbalancing", f"loadbalancer/{kind[:3]}/{c.name}/{c.hexid()}")
    base = {"account_id": c.account_id, "region": c.region}
    c.add(
        "aws_elbv2_load_balancers",
        arn,
        **base,
        arn=arn,
        load_balancer_name=c.name,
        type=kind,
        scheme=c.rng.choice(("internet-facing", "internal")),
    )
    attributes = {"access_logs.s3.enabled": "true" if logged else "false"}
    if logged:
        attributes["access_logs.s3.bucket"] = c.account.buckets[0]
    attributes["deletion_protection.enabled"] = c.rng.choice(("true", "false"))
    for key, value in attributes.items():
        c.add(
            "aws_elbv2_load_balancer_attributes",
            (arn, key),
            **base,
            load_balancer_arn=arn,
            key=key,
            value=value,
        )


def _apigw(c: Ctx, logged: bool) -> None:
    api = c.hexid(10)
    if c.rng.random() < 0.6:
        rest = f"arn:aws:apigateway:{c.region}::/restapis/{api}"
        settings = {"*/*": {"LoggingLevel": c.rng.choice(("INFO", "ERROR"))}} if logged else {}
        c.add(
            "aws_apigateway_rest_api_stages",
            rest,
            account_id=c.account_id,
            region=c.region,
            arn=f"{rest}/stages/prod",
            rest_api_arn=rest,
            stage_name="prod",
            method_settings=settings,
        )
        return
    http = f"arn:aws:apigateway:{c.region}::/apis/{api}"
    access = None
    if logged:
        access = {"DestinationArn": c.log_group(f"/apigw/{c.name}"), "Format": "$context.requestId"}
    c.add(
        "aws_apigatewayv2_api_stages",
        http,
        account_id=c.account_id,
        region=c.region,
        arn=f"{http}/stages/$default",
        api_arn=http,
        api_id=api,
        stage_name="$default",
        access_log_settings=access,
    )


def _rds(c: Ctx, logged: bool) -> None:
    engine = c.rng.choice(("postgres", "mysql", "aurora-postgresql", "aurora-mysql"))
    exports = {
        "postgres": ["postgresql", "upgrade"],
        "mysql": ["audit", "error", "general", "slowquery"],
        "aurora-postgresql": ["postgresql"],
        "aurora-mysql": ["audit", "error", "general", "slowquery"],
    }[engine]
    row = {
        "account_id": c.account_id,
        "region": c.region,
        "engine": engine,
        "enabled_cloudwatch_logs_exports": exports if logged else None,
        "iam_database_authentication_enabled": c.rng.random() < 0.4,
    }
    encrypted = c.encrypted(0.85)
    row["storage_encrypted"] = encrypted
    row["kms_key_id"] = c.kms_key() if encrypted else None
    if engine.startswith("aurora"):
        arn = c.arn("rds", f"cluster:{c.name}")
        c.add("aws_rds_clusters", arn, arn=arn, db_cluster_identifier=c.name, **row)
        return
    arn = c.arn("rds", f"db:{c.name}")
    c.add("aws_rds_instances", arn, arn=arn, db_instance_identifier=c.name, **row)


def _redshift(c: Ctx, logged: bool) -> None:
    arn = c.arn("redshift", f"cluster:{c.name}")
    encrypted = c.encrypted(0.8)
    status: dict[str, object] = {"LoggingEnabled": logged}
    if logged:
        status.update(
            LogDestinationType="cloudwatch",
            LogExports=["connectionlog", "userlog", "useractivitylog"],
        )
    c.add(
        "aws_redshift_clusters",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        cluster_identifier=c.name,
        logging_status=status,
        encrypted=encrypted,
        kms_key_id=c.kms_key() if encrypted and c.encryption.random() < 0.9 else None,
    )


def _waf(c: Ctx, logged: bool) -> None:
    kind = c.rng.choice(("v2", "v2", "v2", "classic"))
    firehose = c.arn("firehose", f"deliverystream/aws-waf-logs-{c.name}")
    if kind == "classic":
        arn = f"arn:aws:waf::{c.account_id}:webacl/{c.name}"
        config = {"ResourceArn": arn, "LogDestinationConfigs": [firehose]} if logged else None
        c.add(
            "aws_waf_web_acls",
            arn,
            account_id=c.account_id,
            arn=arn,
            web_acl_id=c.name,
            name=c.name,
            logging_configuration=config,
        )
        return
    arn = c.arn("wafv2", f"regional/webacl/{c.name}/{c.hexid(8)}")
    visibility = {
        "CloudWatchMetricsEnabled": True,
        "MetricName": c.name,
        "SampledRequestsEnabled": True,
    }
    c.add(
        "aws_wafv2_web_acls",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        id=c.name,
        name=c.name,
        rules=[
            {
                "Name": f"{c.name}-rate",
                "Priority": 1,
                "Statement": {},
                "VisibilityConfig": visibility,
            }
        ],
        visibility_config=visibility,
        logging_configuration={"ResourceArn": arn, "LogDestinationConfigs": [firehose]}
        if logged
        else None,
    )


def _cloudfront(c: Ctx, logged: bool) -> None:
    dist = "E" + c.hexid(13).upper()
    arn = f"arn:aws:cloudfront::{c.account_id}:distribution/{dist}"
    bucket = f"{c.account.buckets[0]}.s3.amazonaws.com" if logged else ""
    c.add(
        "aws_cloudfront_distributions",
        arn,
        account_id=c.account_id,
        arn=arn,
        id=dist,
        domain_name=f"d{c.hexid(13)}.cloudfront.net",
        distribution_config={
            "Enabled": True,
            "Logging": {
                "Enabled": logged,
                "Bucket": bucket,
                "Prefix": "cf/" if logged else "",
                "IncludeCookies": False,
            },
            "DefaultCacheBehavior": {
                "ViewerProtocolPolicy": "redirect-to-https",
                "TargetOriginId": "origin-1",
            },
        },
    )


def _opensearch(c: Ctx, logged: bool) -> None:
    arn = c.arn("es", f"domain/{c.name}")
    encrypted = c.encrypted(0.8)
    at_rest: dict[str, object] = {"Enabled": encrypted}
    if encrypted:
        at_rest["KmsKeyId"] = c.kms_key()
    options: dict[str, object] = {
        "ES_APPLICATION_LOGS": {
            "CloudWatchLogsLogGroupArn": c.log_group(f"/aws/opensearch/{c.name}/app"),
            "Enabled": True,
        }
    }
    options["AUDIT_LOGS"] = (
        {
            "CloudWatchLogsLogGroupArn": c.log_group(f"/aws/opensearch/{c.name}/audit"),
            "Enabled": True,
        }
        if logged
        else {"Enabled": False}
    )
    c.add(
        "aws_elasticsearch_domains",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        domain_name=c.name,
        elasticsearch_version=c.rng.choice(("OpenSearch_2.11", "OpenSearch_2.13", "7.10")),
        log_publishing_options=options,
        encryption_at_rest_options=at_rest,
    )


EKS_LOG_TYPES = ("api", "audit", "authenticator", "controllerManager", "scheduler")


def _eks(c: Ctx, logged: bool) -> None:
    arn = c.arn("eks", f"cluster/{c.name}")
    if logged:
        logging = [{"Enabled": True, "Types": list(EKS_LOG_TYPES)}]
    else:
        on = c.rng.randint(0, 2)
        logging = [{"Enabled": True, "Types": list(EKS_LOG_TYPES[:on])}] if on else []
        logging.append({"Enabled": False, "Types": list(EKS_LOG_TYPES[on:])})
    c.add(
        "aws_eks_clusters",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        name=c.name,
        version=c.rng.choice(("1.28", "1.29", "1.30")),
        logging={"ClusterLogging": logging},
    )


def _route53(c: Ctx, logged: bool) -> None:
    zone = "Z" + c.hexid(13).upper()
    arn = f"arn:aws:route53:::hostedzone/{zone}"
    domain = f"{c.name}.example.com."
    c.add(
        "aws_route53_hosted_zones",
        arn,
        account_id=c.account_id,
        arn=arn,
        id=f"/hostedzone/{zone}",
        name=domain,
        config={"Comment": "", "PrivateZone": False},
    )
    if logged:
        config = f"arn:aws:route53:::queryloggingconfig/{c.hexid(12)}"
        c.add(
            "aws_route53_hosted_zone_query_logging_configs",
            config,
            account_id=c.account_id,
            arn=config,
            hosted_zone_arn=arn,
            hosted_zone_id=zone,
            cloud_watch_logs_log_group_arn=c.arn(
                "logs", f"log-group:/aws/route53/{domain.rstrip('.')}", "us-east-1"
            ),
        )


def _ecs(c: Ctx, logged: bool) -> None:
    revision = c.rng.randint(1, 40)
    arn = c.arn("ecs", f"task-definition/{c.name}:{revision}")
    containers = []
    for number, role in enumerate(("app", "sidecar")[: c.rng.randint(1, 2)]):
        container: dict[str, object] = {
            "Name": role,
            "Image": f"{c.account_id}.dkr.ecr.{c.region}.amazonaws.com/{c.name}:{revision}",
            "Privileged": False,
        }
        if logged or number == 0:
            container["LogConfiguration"] = {
                "LogDriver": "awslogs",
                "Options": {"awslogs-group": f"/ecs/{c.name}", "awslogs-region": c.region},
            }
        containers.append(container)
    if not logged and len(containers) == 1:
        del containers[0]["LogConfiguration"]
    c.add(
        "aws_ecs_task_definitions",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        family=c.name,
        revision=revision,
        status="ACTIVE",
        container_definitions=containers,
    )


def _codebuild(c: Ctx, logged: bool) -> None:
    arn = c.arn("codebuild", f"project/{c.name}")
    variables: list[dict[str, object]] = [{"Name": "STAGE", "Value": "prod", "Type": "PLAINTEXT"}]
    if c.index == 1 or c.rng.random() < 0.15:
        variables += [
            {
                "Name": "AWS_ACCESS_KEY_ID",
                "Value": "AKIA" + c.hexid(16).upper(),
                "Type": "PLAINTEXT",
            },
            {"Name": "AWS_SECRET_ACCESS_KEY", "Value": c.hexid(40)},
        ]
    else:
        variables.append(
            {"Name": "AWS_SECRET_ACCESS_KEY", "Value": f"/{c.name}/key", "Type": "PARAMETER_STORE"}
        )
    location = f"https://github.com/acme/{c.name}.git"
    source: dict[str, object] = {"Type": "GITHUB", "Location": location, "Auth": {"Type": "OAUTH"}}
    if c.index == 1 or c.rng.random() < 0.1:
        location = f"https://ci-bot:{c.hexid(12)}@bitbucket.org/acme/{c.name}.git"
        source = {"Type": "BITBUCKET", "Location": location}
    c.add(
        "aws_codebuild_projects",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        name=c.name,
        environment={
            "Type": "LINUX_CONTAINER",
            "Image": "aws/codebuild/standard:7.0",
            "ComputeType": "BUILD_GENERAL1_SMALL",
            "PrivilegedMode": c.index == 1 or c.rng.random() < 0.2,
            "EnvironmentVariables": variables,
        },
        source=source,
        secondary_sources=[],
        logs_config={
            "CloudWatchLogs": {"Status": "ENABLED" if logged else "DISABLED"},
            "S3Logs": {"Status": "DISABLED", "EncryptionDisabled": False},
        },
    )


def _emr(c: Ctx, logged: bool) -> None:
    kerberos = logged
    config = f"{c.name}-{'kerberos' if kerberos else 'encryption'}"
    security: dict[str, object] = {
        "EncryptionConfiguration": {
            "EnableInTransitEncryption": True,
            "EnableAtRestEncryption": True,
        }
    }
    if kerberos:
        security["AuthenticationConfiguration"] = {
            "KerberosConfiguration": {
                "Provider": "ClusterDedicatedKdc",
                "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": 24},
            }
        }
    c.add(
        "aws_emr_security_configurations",
        (c.region, config),
        account_id=c.account_id,
        region=c.region,
        name=config,
        security_configuration=security,
        creation_date_time=c.org.as_of - timedelta(days=c.rng.randint(10, 500)),
    )
    cluster = "j-" + c.hexid(13).upper()
    c.add(
        "aws_emr_clusters",
        cluster,
        account_id=c.account_id,
        region=c.region,
        arn=c.arn("elasticmapreduce", f"cluster/{cluster}"),
        id=cluster,
        name=c.name,
        kerberos_attributes={"Realm": "EC2.INTERNAL", "KdcAdminPassword": ""} if kerberos else None,
        security_configuration=config,
    )


def _appsync(c: Ctx, logged: bool) -> None:
    api = c.hexid(26)
    config: dict[str, object] = {"FieldLogLevel": "NONE"}
    if logged:
        config = {
            "CloudWatchLogsRoleArn": f"arn:aws:iam::{c.account_id}:role/appsync-logs",
            "FieldLogLevel": c.rng.choice(("ERROR", "ALL")),
            "ExcludeVerboseContent": True,
        }
    arn = c.arn("appsync", f"apis/{api}")
    c.add(
        "aws_appsync_graphql_apis",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        name=c.name,
        log_config=config if logged or c.rng.random() < 0.5 else None,
    )


def _athena(c: Ctx, logged: bool) -> None:
    arn = c.arn("athena", f"workgroup/{c.name}")
    c.add(
        "aws_athena_work_groups",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        name=c.name,
        state="ENABLED",
        configuration={
            "EnforceWorkGroupConfiguration": logged,
            "PublishCloudWatchMetricsEnabled": logged,
        },
    )


def _stepfunctions(c: Ctx, logged: bool) -> None:
    arn = c.arn("states", f"stateMachine:{c.name}")
    config: dict[str, object] = {"Level": "OFF", "IncludeExecutionData": False}
    if logged:
        group = {"LogGroupArn": c.log_group(f"/aws/vendedlogs/states/{c.name}:*")}
        config = {
            "Level": c.rng.choice(("ERROR", "ALL")),
            "IncludeExecutionData": False,
            "Destinations": [{"CloudWatchLogsLogGroup": group}],
        }
    c.add(
        "aws_stepfunctions_state_machines",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        name=c.name,
        type=c.rng.choice(("STANDARD", "EXPRESS")),
        logging_configuration=config,
    )


def _glue(c: Ctx, logged: bool) -> None:
    arn = c.arn("glue", f"job/{c.name}")
    arguments = {"--job-language": "python"}
    if logged:
        arguments["--enable-continuous-cloudwatch-log"] = "true"
    if c.rng.random() < 0.5:
        arguments["--enable-metrics"] = "true"
    c.add(
        "aws_glue_jobs",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        name=c.name,
        default_arguments=arguments,
    )


def _mq(c: Ctx, logged: bool) -> None:
    broker = "b-" + c.hexid(8)
    arn = c.arn("mq", f"broker:{c.name}:{broker}")
    logs: dict[str, object] = {
        "Audit": logged,
        "General": True,
        "GeneralLogGroup": f"/aws/amazonmq/broker/{broker}/general",
    }
    if logged:
        logs["AuditLogGroup"] = f"/aws/amazonmq/broker/{broker}/audit"
    c.add(
        "aws_mq_brokers",
        arn,
        account_id=c.account_id,
        region=c.region,
        arn=arn,
        broker_name=c.name,
        deployment_mode=c.rng.choice(("SINGLE_INSTANCE", "ACTIVE_STANDBY_MULTI_AZ")),
        logs=logs,
    )


# Per service: its maker, a name, how many per account (low, high) and how often it logs.
MAKERS: tuple[tuple[str, Maker, tuple[int, int], float], ...] = (
    ("clb", _elbv1, (0, 1), 0.5),
    ("alb", _elbv2, (1, 3), 0.65),
    ("api", _apigw, (0, 2), 0.6),
    ("db", _rds, (1, 3), 0.7),
    ("dw", _redshift, (0, 1), 0.6),
    ("waf", _waf, (0, 2), 0.55),
    ("cdn", _cloudfront, (0, 2), 0.65),
    ("search", _opensearch, (0, 1), 0.5),
    ("eks", _eks, (0, 2), 0.55),
    ("zone", _route53, (1, 2), 0.5),
    ("task", _ecs, (1, 3), 0.75),
    ("build", _codebuild, (1, 2), 0.7),
    ("emr", _emr, (0, 1), 0.4),
    ("gql", _appsync, (0, 1), 0.5),
    ("wg", _athena, (0, 1), 0.6),
    ("sfn", _stepfunctions, (0, 2), 0.5),
    ("etl", _glue, (0, 2), 0.5),
    ("mq", _mq, (0, 1), 0.6),
)


def generate(org: Organisation) -> None:
    """Every service's resources in every account; the first two per service log and do not."""
    rng = org.stream("services")
    encryption = org.stream("services-encryption")
    made: dict[str, int] = {}
    names: set[str] = set()
    for account in org.accounts:
        for kind, maker, (low, high), rate in MAKERS:
            count = rng.randint(low, high)
            if made.get(kind, 0) < 2:
                count = max(count, 2 - made.get(kind, 0))
            for _ in range(count):
                index = made.get(kind, 0)
                made[kind] = index + 1
                logged = index == 0 or (index > 1 and rng.random() < rate)
                context = Ctx(org, rng, account)
                context.encryption = encryption
                if rng.random() < 0.3:
                    context.region = rng.choice(ENABLED_REGIONS)
                context.name = _name(rng, account, kind, names)
                context.index = index
                maker(context, logged)
        if account.index == 0 or rng.random() < 0.5:
            _source_credential(org, rng, account)


def _name(rng: random.Random, account: Account, kind: str, used: set[str]) -> str:
    wanted = f"{account.alias.removeprefix('acme-')}-{rng.choice(WORKLOADS)}-{kind}"
    name, n = wanted, 1
    while name in used:
        n += 1
        name = f"{wanted}-{n}"
    used.add(name)
    return name


def _source_credential(org: Organisation, rng: random.Random, account: Account) -> None:
    region = account.region
    arn = f"arn:aws:codebuild:{region}:{account.account_id}:token/github"
    org.add(
        "aws_codebuild_source_credentials",
        {
            "_cq_id": cq_id("aws_codebuild_source_credentials", arn),
            "account_id": account.account_id,
            "region": region,
            "arn": arn,
            "auth_type": rng.choice(("OAUTH", "PERSONAL_ACCESS_TOKEN")),
            "server_type": "GITHUB",
        },
    )


SERVICE = Service("services", TABLES, generate)
