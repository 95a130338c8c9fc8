"""Backups, resilience and message processing of every generated account.

Fills the tables of the backup, resilience and processing controls: AWS Backup
(vaults, plans and their selections, protected resources, recovery points,
report plans), the data services they protect (DynamoDB tables with their
continuous backups and auto scaling, EFS and FSx file systems, EBS volumes,
EC2 instances, ElastiCache, DMS, DocumentDB, Neptune), Network Firewall
firewalls, CloudFormation stacks, SQS queues and Kinesis streams. It also
writes the backup and availability columns of the resources `services` made
(RDS retention, Multi-AZ, deletion protection, tag copying and minor version
upgrades; Redshift snapshots, upgrades and Multi-AZ; load balancer zones;
OpenSearch cluster configuration; Amazon MQ upgrades): those columns are new,
so the rows of `services` keep every value they had.

Everything draws from the stream "backup". As in `services`, the first
resource of each kind in the organisation is well configured and the second
is not, so every control passes and fails in the smallest demo; later ones
are well configured with a probability close to what posture reviews find.
"""

from __future__ import annotations

import random
from datetime import timedelta

from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import cq_id

TABLES = (
    "aws_backup_vaults",
    "aws_backup_plans",
    "aws_backup_plan_selections",
    "aws_backup_protected_resources",
    "aws_backup_vault_recovery_points",
    "aws_backup_report_plans",
    "aws_dynamodb_tables",
    "aws_dynamodb_table_continuous_backups",
    "aws_applicationautoscaling_scalable_targets",
    "aws_applicationautoscaling_policies",
    "aws_efs_filesystems",
    "aws_fsx_file_systems",
    "aws_ec2_ebs_volumes",
    "aws_ec2_instances",
    "aws_elasticache_replication_groups",
    "aws_elasticache_clusters",
    "aws_dms_replication_instances",
    "aws_docdb_clusters",
    "aws_neptune_clusters",
    "aws_networkfirewall_firewalls",
    "aws_cloudformation_stacks",
    "aws_sqs_queues",
    "aws_kinesis_streams",
)
ZONES = ("a", "b", "c")


class Draw:
    """Good or bad configuration per kind: first good, second bad, then at a rate."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.made: dict[str, int] = {}

    def good(self, kind: str, rate: float) -> bool:
        index = self.made.get(kind, 0)
        self.made[kind] = index + 1
        return index == 0 or (index > 1 and self.rng.random() < rate)


def generate(org: Organisation) -> None:
    """Every account's backed-up resources and AWS Backup estate, then the services' columns."""
    rng = org.stream("backup")
    draw = Draw(rng)
    for account in org.accounts:
        _account(org, rng, draw, account)
    _service_columns(org, Draw(org.stream("backup/services")))


def _add(org: Organisation, table: str, natural: object, **row: object) -> None:
    org.add(table, {"_cq_id": cq_id(table, natural), **row})


def _arn(account: Account, service: str, resource: str) -> str:
    return f"arn:aws:{service}:{account.region}:{account.account_id}:{resource}"


def _account(org: Organisation, rng: random.Random, draw: Draw, account: Account) -> None:
    base = {"account_id": account.account_id, "region": account.region}
    name = account.alias.removeprefix("acme-")
    protected: list[tuple[str, str]] = []
    selected: list[str] = []

    def backed_up(arn: str, kind: str) -> None:
        if draw.good(f"covered-{kind}", 0.6):
            if rng.random() < 0.5:
                protected.append((arn, kind))
            else:
                selected.append(arn)

    # DynamoDB: one on-demand table and one provisioned, PITR and scaling drawn
    for table_index in range(2):
        table = f"{name}-table-{table_index}"
        arn = _arn(account, "dynamodb", f"table/{table}")
        on_demand = table_index == 0
        _add(
            org,
            "aws_dynamodb_tables",
            arn,
            **base,
            arn=arn,
            table_name=table,
            table_status="ACTIVE",
            billing_mode_summary={"BillingMode": "PAY_PER_REQUEST" if on_demand else "PROVISIONED"},
            deletion_protection_enabled=draw.good("ddb-deletion", 0.5),
        )
        pitr = "ENABLED" if draw.good("ddb-pitr", 0.6) else "DISABLED"
        _add(
            org,
            "aws_dynamodb_table_continuous_backups",
            arn,
            **base,
            table_arn=arn,
            continuous_backups_status="ENABLED",
            point_in_time_recovery_description={"PointInTimeRecoveryStatus": pitr},
        )
        if not on_demand:
            _scaling(org, rng, draw, account, table)
        backed_up(arn, "DynamoDB")

    efs_id = f"fs-{rng.getrandbits(32):08x}"
    efs_arn = _arn(account, "elasticfilesystem", f"file-system/{efs_id}")
    _add(
        org,
        "aws_efs_filesystems",
        efs_arn,
        **base,
        arn=efs_arn,
        file_system_id=efs_id,
        encrypted=True,
        backup_policy_status="ENABLED" if account.index > 1 and rng.random() < 0.4 else "DISABLED",
        availability_zone_name=None if draw.good("efs-zones", 0.7) else f"{account.region}a",
        life_cycle_state="available",
    )
    backed_up(efs_arn, "EFS")

    fsx_id = f"fs-{rng.getrandbits(64):017x}"
    fsx_arn = _arn(account, "fsx", f"file-system/{fsx_id}")
    multi = draw.good("fsx-zones", 0.5)
    _add(
        org,
        "aws_fsx_file_systems",
        fsx_arn,
        **base,
        arn=fsx_arn,
        file_system_id=fsx_id,
        file_system_type="WINDOWS",
        windows_configuration={
            "DeploymentType": "MULTI_AZ_1" if multi else "SINGLE_AZ_2",
            "AutomaticBackupRetentionDays": 0,
        },
    )
    backed_up(fsx_arn, "FSx")

    for volume_index in range(2):
        volume = f"vol-{rng.getrandbits(64):017x}"
        arn = _arn(account, "ec2", f"volume/{volume}")
        _add(
            org,
            "aws_ec2_ebs_volumes",
            arn,
            **base,
            arn=arn,
            volume_id=volume,
            state="in-use" if volume_index == 0 else "available",
            encrypted=True,
            availability_zone=f"{account.region}a",
        )
        backed_up(arn, "EBS")

    instance = f"i-{rng.getrandbits(64):017x}"
    instance_arn = _arn(account, "ec2", f"instance/{instance}")
    _add(
        org,
        "aws_ec2_instances",
        instance_arn,
        **base,
        arn=instance_arn,
        instance_id=instance,
        state={"Code": 16, "Name": "running"},
        # compliant placement and settings: network.py and compute.py make the
        # instances whose placement and settings vary (the same table)
        vpc_id=f"vpc-{instance[2:]}",
        subnet_id=f"subnet-{instance[2:]}",
        network_interfaces=[],
        security_groups=[],
        metadata_options={"HttpTokens": "required", "HttpEndpoint": "enabled", "State": "applied"},
        monitoring={"State": "enabled"},
        ebs_optimized=True,
        instance_type="m5.large",
    )
    backed_up(instance_arn, "EC2")

    # RDS (made by `services`) is selected by ARN pattern, so this module's rows do
    # not depend on which databases exist: every instance, or every cluster, of the
    # account in the plan's region
    for kind in ("db", "cluster"):
        if draw.good(f"rds-{kind}-selection", 0.5):
            selected.append(f"arn:aws:rds:{account.region}:{account.account_id}:{kind}:*")

    _caches_and_databases(org, draw, account, name)
    _protection(org, draw, account, name)
    _messaging(org, draw, account, name)
    _backup_estate(org, rng, draw, account, protected, selected)


def _scaling(
    org: Organisation, rng: random.Random, draw: Draw, account: Account, table: str
) -> None:
    base = {"account_id": account.account_id, "region": account.region}
    resource = f"table/{table}"
    if not draw.good("ddb-scaling", 0.6):
        return
    _add(
        org,
        "aws_applicationautoscaling_scalable_targets",
        (account.account_id, account.region, resource),
        **base,
        service_namespace="dynamodb",
        resource_id=resource,
        scalable_dimension="dynamodb:table:ReadCapacityUnits",
        min_capacity=5,
        max_capacity=rng.choice((50, 100, 500)),
    )
    for dimension in ("Read", "Write"):
        policy = f"{table}-{dimension.lower()}-scaling"
        arn = _arn(
            account,
            "autoscaling",
            f"scalingPolicy:{rng.getrandbits(32):08x}:resource/dynamodb/{resource}:policyName/{policy}",
        )
        _add(
            org,
            "aws_applicationautoscaling_policies",
            arn,
            **base,
            arn=arn,
            service_namespace="dynamodb",
            resource_id=resource,
            scalable_dimension=f"dynamodb:table:{dimension}CapacityUnits",
            policy_type="TargetTrackingScaling",
            policy_name=policy,
        )


def _caches_and_databases(org: Organisation, draw: Draw, account: Account, name: str) -> None:
    base = {"account_id": account.account_id, "region": account.region}
    group = f"{name}-sessions"
    group_arn = _arn(account, "elasticache", f"replicationgroup:{group}")
    highly_available = draw.good("cache-ha", 0.6)
    _add(
        org,
        "aws_elasticache_replication_groups",
        group_arn,
        **base,
        arn=group_arn,
        replication_group_id=group,
        automatic_failover="enabled" if highly_available else "disabled",
        multi_az="enabled" if highly_available else "disabled",
        snapshot_retention_limit=15 if draw.good("cache-backup", 0.5) else 1,
        auto_minor_version_upgrade=draw.good("cache-upgrade", 0.8),
    )
    member = f"{group}-001"
    member_arn = _arn(account, "elasticache", f"cluster:{member}")
    _add(
        org,
        "aws_elasticache_clusters",
        member_arn,
        **base,
        arn=member_arn,
        cache_cluster_id=member,
        engine="redis",
        replication_group_id=group,
        snapshot_retention_limit=15,
        auto_minor_version_upgrade=True,
    )
    dms = f"{name}-replication"
    dms_arn = _arn(account, "dms", f"rep:{dms.upper()}")
    _add(
        org,
        "aws_dms_replication_instances",
        dms_arn,
        **base,
        arn=dms_arn,
        replication_instance_identifier=dms,
        multi_az=draw.good("dms-ha", 0.5),
        auto_minor_version_upgrade=draw.good("dms-upgrade", 0.7),
    )
    for table, engine in (("aws_docdb_clusters", "docdb"), ("aws_neptune_clusters", "neptune")):
        cluster = f"{name}-{engine}"
        arn = _arn(account, "rds", f"cluster:{cluster}")
        row: dict[str, object] = {
            **base,
            "arn": arn,
            "db_cluster_identifier": cluster,
            "backup_retention_period": 7 if draw.good(f"{engine}-backup", 0.6) else 1,
            "deletion_protection": draw.good(f"{engine}-deletion", 0.6),
        }
        if engine == "docdb":
            row["engine"] = "docdb"
        else:
            row["copy_tags_to_snapshot"] = draw.good("neptune-tags", 0.6)
        _add(org, table, arn, **row)


def _protection(org: Organisation, draw: Draw, account: Account, name: str) -> None:
    base = {"account_id": account.account_id, "region": account.region}
    firewall = f"{name}-egress"
    arn = _arn(account, "network-firewall", f"firewall/{firewall}")
    _add(
        org,
        "aws_networkfirewall_firewalls",
        arn,
        **base,
        arn=arn,
        firewall_name=firewall,
        delete_protection=draw.good("firewall-deletion", 0.6),
    )
    for stack in (f"{name}-network", f"{name}-app"):
        arn = _arn(account, "cloudformation", f"stack/{stack}/{cq_id('stack', arn, stack)}")
        _add(
            org,
            "aws_cloudformation_stacks",
            arn,
            **base,
            arn=arn,
            stack_name=stack,
            stack_status="UPDATE_COMPLETE",
            enable_termination_protection=draw.good("stack-protection", 0.5),
        )


def _messaging(org: Organisation, draw: Draw, account: Account, name: str) -> None:
    base = {"account_id": account.account_id, "region": account.region}
    queue_url = f"https://sqs.{account.region}.amazonaws.com/{account.account_id}/"
    dead_letter = _arn(account, "sqs", f"{name}-orders-dlq")
    for queue, redrive in (
        (f"{name}-orders", draw.good("sqs-dlq", 0.6)),
        (f"{name}-orders-dlq", False),
    ):
        arn = _arn(account, "sqs", queue)
        _add(
            org,
            "aws_sqs_queues",
            arn,
            **base,
            arn=arn,
            url=queue_url + queue,
            redrive_policy={"deadLetterTargetArn": dead_letter, "maxReceiveCount": 5}
            if redrive
            else None,
            sqs_managed_sse_enabled=True,
            message_retention_period=345_600,
        )
    stream = f"{name}-clickstream"
    arn = _arn(account, "kinesis", f"stream/{stream}")
    _add(
        org,
        "aws_kinesis_streams",
        arn,
        **base,
        arn=arn,
        stream_name=stream,
        retention_period_hours=168 if draw.good("kinesis-retention", 0.5) else 24,
    )


def _backup_estate(
    org: Organisation,
    rng: random.Random,
    draw: Draw,
    account: Account,
    protected: list[tuple[str, str]],
    selected: list[str],
) -> None:
    base = {"account_id": account.account_id, "region": account.region}
    vault = f"{account.alias.removeprefix('acme-')}-vault"
    vault_arn = _arn(account, "backup", f"backup-vault:{vault}")
    locked = draw.good("vault-lock", 0.4)
    _add(
        org,
        "aws_backup_vaults",
        vault_arn,
        **base,
        arn=vault_arn,
        backup_vault_arn=vault_arn,
        backup_vault_name=vault,
        encryption_key_arn=_arn(account, "kms", f"key/{cq_id('key', vault_arn)}")
        if draw.good("vault-key", 0.8)
        else None,
        locked=locked,
        lock_date=org.as_of - timedelta(days=200) if locked else None,
        number_of_recovery_points=len(protected),
    )
    plan = "daily-35" if draw.good("plan-rule", 0.6) else "weekly"
    plan_arn = _arn(account, "backup", f"backup-plan:{plan}")
    rule = {
        "RuleName": plan,
        "ScheduleExpression": "cron(0 5 ? * * *)" if plan == "daily-35" else "cron(0 5 ? * SUN *)",
        "TargetBackupVaultName": vault,
        "Lifecycle": {"DeleteAfterDays": 35 if plan == "daily-35" else 14},
    }
    _add(
        org,
        "aws_backup_plans",
        (plan_arn, "v1"),
        **base,
        arn=plan_arn,
        backup_plan_arn=plan_arn,
        backup_plan_id=plan,
        version_id="v1",
        backup_plan={"BackupPlanName": plan, "Rules": [rule]},
    )
    role = f"arn:aws:iam::{account.account_id}:role/backup-service"
    _add(
        org,
        "aws_backup_plan_selections",
        (plan_arn, "v1"),
        **base,
        plan_arn=plan_arn,
        plan_version_id="v1",
        backup_plan_id=plan,
        selection_id=f"{plan}-resources",
        backup_selection={
            "SelectionName": f"{plan}-resources",
            "IamRoleArn": role,
            "Resources": selected,
        },
    )
    for resource_arn, kind in protected:
        last = org.as_of - timedelta(hours=rng.randrange(2, 30))
        _add(
            org,
            "aws_backup_protected_resources",
            resource_arn,
            **base,
            arn=resource_arn,
            resource_arn=resource_arn,
            resource_type=kind,
            resource_name=resource_arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1],
            last_backup_time=last,
            last_backup_vault_arn=vault_arn,
        )
        point = _arn(account, "backup", f"recovery-point:{cq_id('point', resource_arn)}")
        restored = draw.good("restore", 0.3)
        _add(
            org,
            "aws_backup_vault_recovery_points",
            point,
            **base,
            vault_arn=vault_arn,
            backup_vault_arn=vault_arn,
            backup_vault_name=vault,
            arn=point,
            recovery_point_arn=point,
            resource_arn=resource_arn,
            resource_type=kind,
            creation_date=last,
            is_encrypted=draw.good("point-encrypted", 0.85),
            lifecycle={"DeleteAfterDays": 35 if draw.good("point-retention", 0.6) else 7},
            last_restore_time=org.as_of - timedelta(days=rng.randrange(20, 200))
            if restored
            else None,
            status="COMPLETED",
        )
    if draw.good("report-plan", 0.4):
        report = f"{vault.replace('-', '_')}_jobs"
        arn = _arn(account, "backup", f"report-plan:{report}")
        _add(
            org,
            "aws_backup_report_plans",
            arn,
            **base,
            arn=arn,
            report_plan_name=report,
            deployment_status="COMPLETED",
            report_setting={"ReportTemplate": "BACKUP_JOB_REPORT"},
            last_successful_execution_time=org.as_of - timedelta(days=1),
        )


def _zones(region: str, count: int) -> list[str]:
    return [f"{region}{zone}" for zone in ZONES[:count]]


def _service_columns(org: Organisation, draw: Draw) -> None:
    """The backup and availability columns of the rows `services` made (new columns only)."""
    for row in org.tables.get("aws_rds_instances", []):
        row["backup_retention_period"] = 7 if draw.good("rds-backup", 0.7) else 1
        row["multi_az"] = draw.good("rds-multi-az", 0.5)
        row["deletion_protection"] = draw.good("rds-deletion", 0.5)
        row["copy_tags_to_snapshot"] = draw.good("rds-tags", 0.6)
        row["auto_minor_version_upgrade"] = draw.good("rds-upgrade", 0.8)
    for row in org.tables.get("aws_rds_clusters", []):
        row["backup_retention_period"] = 7 if draw.good("rds-backup", 0.7) else 1
        row["multi_az"] = draw.good("rds-multi-az", 0.5)
        row["deletion_protection"] = draw.good("rds-deletion", 0.5)
        row["copy_tags_to_snapshot"] = draw.good("rds-tags", 0.6)
    for row in org.tables.get("aws_redshift_clusters", []):
        row["automated_snapshot_retention_period"] = 7 if draw.good("dw-backup", 0.7) else 1
        row["allow_version_upgrade"] = draw.good("dw-upgrade", 0.8)
        row["multi_az"] = "Enabled" if draw.good("dw-multi-az", 0.4) else "Disabled"
    for row in org.tables.get("aws_elbv2_load_balancers", []):
        count = 2 if draw.good("lb-zones", 0.7) else 1
        row["availability_zones"] = [
            {"ZoneName": zone, "SubnetId": f"subnet-{cq_id('subnet', row['arn'], zone)[:17]}"}
            for zone in _zones(row["region"], count)
        ]
    for row in org.tables.get("aws_elbv1_load_balancers", []):
        row["availability_zones"] = _zones(row["region"], 2 if draw.good("clb-zones", 0.7) else 1)
    for row in org.tables.get("aws_elasticsearch_domains", []):
        aware = draw.good("search-ha", 0.5)
        row["elasticsearch_cluster_config"] = {
            "InstanceCount": 3 if aware else 1,
            "DedicatedMasterEnabled": aware,
            "DedicatedMasterCount": 3 if aware else 0,
            "ZoneAwarenessEnabled": aware,
        }
    for row in org.tables.get("aws_mq_brokers", []):
        row["auto_minor_version_upgrade"] = draw.good("mq-upgrade", 0.8)


SERVICE = Service("backup", TABLES, generate)
