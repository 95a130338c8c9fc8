"""Data stores of every generated account and whether they encrypt their data at rest.

Fills the tables of the encryption-at-rest controls that the service module
does not: EBS volumes and snapshots, EBS encryption by default per region,
RDS, Aurora, DocumentDB and Neptune snapshots, DocumentDB and Neptune
clusters, DAX clusters, ElastiCache replication groups, DynamoDB tables, EFS
file systems, SQS queues, Kinesis data streams, Firehose delivery streams,
SageMaker notebook instances, endpoint configurations and training jobs, Glue
security configurations and Data Catalog encryption settings.

Encryption is common but not universal, as posture reviews find it: most
volumes, databases and file systems are encrypted (encryption by default is
on in most regions, not all), DynamoDB tables mostly keep the AWS-owned key,
queues and streams are encrypted about two times in three, and ML and Glue
settings are the ones most often left at their defaults. The first resource
of each kind in the organisation is encrypted and the second is not, so each
control passes and fails in the smallest demo.
"""

from __future__ import annotations

from soc2_tools.generator.logging import ENABLED_REGIONS
from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import cq_id

TABLES = (
    "aws_ec2_ebs_volumes",
    "aws_ec2_regional_configs",
    "aws_ec2_ebs_snapshots",
    "aws_rds_db_snapshots",
    "aws_rds_cluster_snapshots",
    "aws_docdb_cluster_snapshots",
    "aws_neptune_cluster_snapshots",
    "aws_docdb_clusters",
    "aws_neptune_clusters",
    "aws_dax_clusters",
    "aws_elasticache_replication_groups",
    "aws_dynamodb_tables",
    "aws_efs_filesystems",
    "aws_sqs_queues",
    "aws_kinesis_streams",
    "aws_firehose_delivery_streams",
    "aws_sagemaker_notebook_instances",
    "aws_sagemaker_endpoint_configurations",
    "aws_sagemaker_training_jobs",
    "aws_glue_security_configurations",
    "aws_glue_datacatalog_encryption_settings",
)
WORKLOADS = ("orders", "payments", "search", "catalog", "ledger", "web", "reports", "auth")


class Stores:
    """The organisation, the module's stream and how many of each kind were made."""

    def __init__(self, org: Organisation) -> None:
        self.org = org
        self.rng = org.stream("data_stores")
        self.made: dict[str, int] = {}
        self.names: set[str] = set()

    def count(self, kind: str, low: int, high: int) -> int:
        """How many of `kind` to make in an account; the organisation gets at least two."""
        count = self.rng.randint(low, high)
        return max(count, 2 - self.made.get(kind, 0))

    def encrypted(self, kind: str, rate: float) -> bool:
        """Whether the next `kind` is encrypted: the first yes, the second no, then at `rate`."""
        index = self.made.get(kind, 0)
        self.made[kind] = index + 1
        return index == 0 or (index > 1 and self.rng.random() < rate)

    def region(self, account: Account) -> str:
        return account.region if self.rng.random() < 0.7 else self.rng.choice(ENABLED_REGIONS)

    def name(self, account: Account, kind: str) -> str:
        wanted = f"{account.alias.removeprefix('acme-')}-{self.rng.choice(WORKLOADS)}-{kind}"
        name, n = wanted, 1
        while name in self.names:
            n += 1
            name = f"{wanted}-{n}"
        self.names.add(name)
        return name

    def key(self, account: Account, region: str) -> str:
        return f"arn:aws:kms:{region}:{account.account_id}:key/{self.rng.getrandbits(128):032x}"

    def add(self, table: str, natural: object, **row: object) -> None:
        self.org.add(table, {"_cq_id": cq_id(table, natural), **row})


def generate(org: Organisation) -> None:
    """Every account's data stores, then its regional EBS and Glue catalog settings."""
    stores = Stores(org)
    for account in org.accounts:
        _regional_settings(stores, account)
        for maker in MAKERS:
            maker(stores, account)


def _regional_settings(s: Stores, account: Account) -> None:
    for region in ENABLED_REGIONS:
        by_default = s.encrypted("ebs_default", 0.7)
        s.add(
            "aws_ec2_regional_configs",
            (account.account_id, region),
            account_id=account.account_id,
            region=region,
            ebs_encryption_enabled_by_default=by_default,
            ebs_default_kms_key_id="alias/aws/ebs",
        )
    region = account.region
    catalog = s.encrypted("glue_catalog", 0.4)
    s.add(
        "aws_glue_datacatalog_encryption_settings",
        (account.account_id, region),
        account_id=account.account_id,
        region=region,
        encryption_at_rest={
            "CatalogEncryptionMode": "SSE-KMS" if catalog else "DISABLED",
            **({"SseAwsKmsKeyId": s.key(account, region)} if catalog else {}),
        },
        connection_password_encryption={"ReturnConnectionPasswordEncrypted": catalog},
    )


def _volumes(s: Stores, account: Account) -> None:
    for _ in range(s.count("volume", 2, 5)):
        region = s.region(account)
        encrypted = s.encrypted("volume", 0.8)
        volume = f"vol-{s.rng.getrandbits(68):017x}"
        arn = f"arn:aws:ec2:{region}:{account.account_id}:volume/{volume}"
        in_use = s.rng.random() < 0.85
        s.add(
            "aws_ec2_ebs_volumes",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            volume_id=volume,
            state="in-use" if in_use else "available",
            encrypted=encrypted,
            kms_key_id=s.key(account, region) if encrypted else None,
            volume_type=s.rng.choice(("gp3", "gp2", "io2")),
            size=s.rng.choice((8, 20, 100, 500)),
        )
        if s.made["volume"] <= 2 or s.rng.random() < 0.5:
            snapshot = f"snap-{s.rng.getrandbits(68):017x}"
            snapshot_arn = f"arn:aws:ec2:{region}:{account.account_id}:snapshot/{snapshot}"
            s.add(
                "aws_ec2_ebs_snapshots",
                snapshot_arn,
                account_id=account.account_id,
                region=region,
                arn=snapshot_arn,
                snapshot_id=snapshot,
                volume_id=volume,
                owner_id=account.account_id,
                encrypted=encrypted,
                state="completed",
            )


def _rds_snapshots(s: Stores, account: Account) -> None:
    for _ in range(s.count("db_snapshot", 0, 2)):
        region = s.region(account)
        encrypted = s.encrypted("db_snapshot", 0.75)
        name = s.name(account, "db")
        arn = f"arn:aws:rds:{region}:{account.account_id}:snapshot:{name}-snap"
        s.add(
            "aws_rds_db_snapshots",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            db_snapshot_identifier=f"{name}-snap",
            db_instance_identifier=name,
            engine=s.rng.choice(("postgres", "mysql")),
            snapshot_type=s.rng.choice(("manual", "automated")),
            encrypted=encrypted,
            kms_key_id=s.key(account, region) if encrypted else None,
        )
    for _ in range(s.count("cluster_snapshot", 0, 1)):
        region = s.region(account)
        encrypted = s.encrypted("cluster_snapshot", 0.75)
        name = s.name(account, "aurora")
        arn = f"arn:aws:rds:{region}:{account.account_id}:cluster-snapshot:{name}-snap"
        s.add(
            "aws_rds_cluster_snapshots",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            db_cluster_snapshot_identifier=f"{name}-snap",
            db_cluster_identifier=name,
            engine=s.rng.choice(("aurora-postgresql", "aurora-mysql")),
            snapshot_type="manual",
            storage_encrypted=encrypted,
            kms_key_id=s.key(account, region) if encrypted else None,
        )


def _graph_and_document_clusters(s: Stores, account: Account) -> None:
    for table, snapshot_table, kind in (
        ("aws_docdb_clusters", "aws_docdb_cluster_snapshots", "docdb"),
        ("aws_neptune_clusters", "aws_neptune_cluster_snapshots", "neptune"),
    ):
        for _ in range(s.count(kind, 0, 1)):
            region = s.region(account)
            encrypted = s.encrypted(kind, 0.8)
            name = s.name(account, kind)
            arn = f"arn:aws:rds:{region}:{account.account_id}:cluster:{name}"
            row: dict[str, object] = {
                "account_id": account.account_id,
                "region": region,
                "arn": arn,
                "db_cluster_identifier": name,
                "storage_encrypted": encrypted,
                "kms_key_id": s.key(account, region) if encrypted else None,
                "backup_retention_period": s.rng.choice((1, 7, 35)),
            }
            if kind == "docdb":
                row["engine"] = "docdb"
            s.add(table, arn, **row)
            snapshot = f"arn:aws:rds:{region}:{account.account_id}:cluster-snapshot:{name}-snap"
            snapshot_row: dict[str, object] = {
                "account_id": account.account_id,
                "region": region,
                "arn": snapshot,
                "db_cluster_identifier": name,
                "storage_encrypted": encrypted,
            }
            if kind == "docdb":
                snapshot_row["db_cluster_snapshot_identifier"] = f"{name}-snap"
            s.add(snapshot_table, snapshot, **snapshot_row)


def _caches(s: Stores, account: Account) -> None:
    for _ in range(s.count("dax", 0, 1)):
        region = s.region(account)
        encrypted = s.encrypted("dax", 0.7)
        name = s.name(account, "dax")
        arn = f"arn:aws:dax:{region}:{account.account_id}:cache/{name}"
        s.add(
            "aws_dax_clusters",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            cluster_name=name,
            sse_description={"Status": "ENABLED" if encrypted else "DISABLED"},
            cluster_endpoint_encryption_type="TLS" if encrypted else "NONE",
            total_nodes=s.rng.choice((1, 3)),
        )
    for _ in range(s.count("redis", 0, 2)):
        region = s.region(account)
        encrypted = s.encrypted("redis", 0.7)
        name = s.name(account, "redis")
        arn = f"arn:aws:elasticache:{region}:{account.account_id}:replicationgroup:{name}"
        s.add(
            "aws_elasticache_replication_groups",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            replication_group_id=name,
            at_rest_encryption_enabled=encrypted,
            transit_encryption_enabled=encrypted or s.rng.random() < 0.3,
            kms_key_id=s.key(account, region) if encrypted and s.rng.random() < 0.5 else None,
        )


def _tables_and_files(s: Stores, account: Account) -> None:
    for _ in range(s.count("dynamodb", 1, 4)):
        region = s.region(account)
        kms = s.encrypted("dynamodb", 0.45)
        name = s.name(account, "table")
        arn = f"arn:aws:dynamodb:{region}:{account.account_id}:table/{name}"
        sse = None
        if kms:
            key = s.key(account, region) if s.rng.random() < 0.5 else "alias/aws/dynamodb"
            sse = {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key}
        s.add(
            "aws_dynamodb_tables",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            table_name=name,
            table_status="ACTIVE",
            sse_description=sse,
        )
    for _ in range(s.count("efs", 0, 2)):
        region = s.region(account)
        encrypted = s.encrypted("efs", 0.8)
        file_system = f"fs-{s.rng.getrandbits(68):017x}"
        arn = f"arn:aws:elasticfilesystem:{region}:{account.account_id}:file-system/{file_system}"
        s.add(
            "aws_efs_filesystems",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            file_system_id=file_system,
            encrypted=encrypted,
            kms_key_id=s.key(account, region) if encrypted else None,
            life_cycle_state="available",
        )


def _streams(s: Stores, account: Account) -> None:
    for _ in range(s.count("sqs", 1, 3)):
        region = s.region(account)
        encrypted = s.encrypted("sqs", 0.7)
        name = s.name(account, "queue")
        arn = f"arn:aws:sqs:{region}:{account.account_id}:{name}"
        with_kms = encrypted and s.rng.random() < 0.4
        s.add(
            "aws_sqs_queues",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            url=f"https://sqs.{region}.amazonaws.com/{account.account_id}/{name}",
            kms_master_key_id="alias/aws/sqs" if with_kms else None,
            sqs_managed_sse_enabled=encrypted and not with_kms,
        )
    for _ in range(s.count("kinesis", 0, 1)):
        region = s.region(account)
        encrypted = s.encrypted("kinesis", 0.6)
        name = s.name(account, "stream")
        arn = f"arn:aws:kinesis:{region}:{account.account_id}:stream/{name}"
        s.add(
            "aws_kinesis_streams",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            stream_name=name,
            encryption_type="KMS" if encrypted else "NONE",
            key_id="alias/aws/kinesis" if encrypted else None,
            retention_period_hours=24,
        )
    for _ in range(s.count("firehose", 0, 1)):
        region = s.region(account)
        encrypted = s.encrypted("firehose", 0.6)
        name = s.name(account, "firehose")
        arn = f"arn:aws:firehose:{region}:{account.account_id}:deliverystream/{name}"
        s.add(
            "aws_firehose_delivery_streams",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            delivery_stream_name=name,
            delivery_stream_encryption_configuration={
                "Status": "ENABLED" if encrypted else "DISABLED",
                **({"KeyType": "AWS_OWNED_CMK"} if encrypted else {}),
            },
        )


def _machine_learning(s: Stores, account: Account) -> None:
    for _ in range(s.count("notebook", 0, 1)):
        region = s.region(account)
        encrypted = s.encrypted("notebook", 0.5)
        name = s.name(account, "notebook")
        arn = f"arn:aws:sagemaker:{region}:{account.account_id}:notebook-instance/{name}"
        s.add(
            "aws_sagemaker_notebook_instances",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            notebook_instance_name=name,
            direct_internet_access=s.rng.choice(("Enabled", "Disabled")),
            kms_key_id=s.key(account, region) if encrypted else None,
            root_access=s.rng.choice(("Enabled", "Disabled")),
        )
    for _ in range(s.count("endpoint_config", 0, 1)):
        region = s.region(account)
        encrypted = s.encrypted("endpoint_config", 0.5)
        name = s.name(account, "endpoint")
        arn = f"arn:aws:sagemaker:{region}:{account.account_id}:endpoint-config/{name}"
        s.add(
            "aws_sagemaker_endpoint_configurations",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            endpoint_config_name=name,
            kms_key_id=s.key(account, region) if encrypted else None,
        )
    for _ in range(s.count("training_job", 0, 2)):
        region = s.region(account)
        encrypted = s.encrypted("training_job", 0.5)
        name = s.name(account, "training")
        arn = f"arn:aws:sagemaker:{region}:{account.account_id}:training-job/{name}"
        key = s.key(account, region)
        s.add(
            "aws_sagemaker_training_jobs",
            arn,
            account_id=account.account_id,
            region=region,
            arn=arn,
            training_job_name=name,
            output_data_config={
                "S3OutputPath": f"s3://{account.alias}-ml/{name}/",
                **({"KmsKeyId": key} if encrypted or s.rng.random() < 0.3 else {}),
            },
            resource_config={
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                **({"VolumeKmsKeyId": key} if encrypted else {}),
            },
            enable_inter_container_traffic_encryption=encrypted,
        )


def _glue_security(s: Stores, account: Account) -> None:
    for _ in range(s.count("glue_security", 0, 1)):
        region = account.region
        complete = s.encrypted("glue_security", 0.5)
        name = s.name(account, "glue-security")
        key = s.key(account, region)
        s.add(
            "aws_glue_security_configurations",
            (account.account_id, region, name),
            account_id=account.account_id,
            region=region,
            name=name,
            encryption_configuration={
                "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key}],
                "CloudWatchEncryption": {
                    "CloudWatchEncryptionMode": "SSE-KMS" if complete else "DISABLED"
                },
                "JobBookmarksEncryption": {
                    "JobBookmarksEncryptionMode": "CSE-KMS" if complete else "DISABLED"
                },
            },
        )


MAKERS = (
    _volumes,
    _rds_snapshots,
    _graph_and_document_clusters,
    _caches,
    _tables_and_files,
    _streams,
    _machine_learning,
    _glue_security,
)

SERVICE = Service("data_stores", TABLES, generate)
