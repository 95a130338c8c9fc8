"""Compute, vulnerability and Lambda inventory of every generated account.

Fills EC2 instances and the instance-type catalogue, launch templates with
their versions, Auto Scaling launch configurations and groups, AMIs and their
launch permissions, SSM managed instances with their compliance items,
Inspector coverage and findings, ECR repositories, and Lambda functions with
their event invoke configurations.

The mix follows what posture reviews of a grown estate find: most instances
require IMDSv2 and report to SSM, a minority still accept IMDSv1, lack
detailed monitoring or miss patches; older launch templates and launch
configurations still assign public IPs; an occasional AMI is public; some
Auto Scaling groups sit in one zone or ignore their load balancer's health
checks; a few Lambda functions run on a deprecated runtime, keep a password
in an environment variable or drop failed events. The first resource of each
kind in the organisation is compliant and the second is not, so every
control passes and fails in the smallest demo. Draws come from the module's
own stream, so the other services' tables stay byte-identical.
"""

from __future__ import annotations

import random
from datetime import timedelta

from soc2_tools.generator.logging import ENABLED_REGIONS
from soc2_tools.generator.organisation import Account, Organisation, Service
from soc2_tools.generator.records import cq_id

TABLES = (
    "aws_ec2_instances",
    "aws_ec2_instance_types",
    "aws_ec2_launch_templates",
    "aws_ec2_launch_template_versions",
    "aws_autoscaling_launch_configurations",
    "aws_autoscaling_groups",
    "aws_ec2_images",
    "aws_ec2_image_launch_permissions",
    "aws_ssm_instances",
    "aws_ssm_instance_compliance_items",
    "aws_inspector2_covered_resources",
    "aws_inspector2_findings",
    "aws_ecr_repositories",
    "aws_lambda_functions",
    "aws_lambda_function_event_invoke_configs",
)
# instance type -> EbsOptimizedSupport, as DescribeInstanceTypes reports it
INSTANCE_TYPES = {
    "m5.large": "default",
    "t3.micro": "default",
    "c5.xlarge": "default",
    "m3.xlarge": "supported",
    "t2.micro": "unsupported",
}
# Lambda runtimes the generated functions use (deprecation dates in the seed
# soc2__aws_runtime_end_of_support): current ones and a few deprecated ones.
CURRENT_RUNTIMES = ("python3.12", "python3.13", "nodejs22.x", "java21", "provided.al2023")
DEPRECATED_RUNTIMES = ("python3.7", "python3.8", "nodejs16.x", "go1.x")
PACKAGES = ("openssl", "glibc", "zlib")
WORKLOADS = ("api", "worker", "batch", "ingest", "billing", "render", "search", "sync")


def generate(org: Organisation) -> None:
    """Every account's compute inventory, then Inspector per enabled region."""
    rng = org.stream("compute")
    for account in org.accounts:
        _account(org, rng, account)
    for account in org.accounts:
        for region in ENABLED_REGIONS:
            _inspector(org, rng, account, region)


def _good(org: Organisation, kind: str, rng: random.Random, probability: float) -> bool:
    """The first resource of a kind is compliant, the second is not, later ones drawn."""
    index = org.next_index(f"compute:{kind}")
    if index < 2:
        return index == 0
    return rng.random() < probability


def _add(org: Organisation, table: str, natural: object, **row: object) -> None:
    org.add(table, {"_cq_id": cq_id(table, natural), **row})


def _account(org: Organisation, rng: random.Random, account: Account) -> None:
    account_id, region = account.account_id, account.region
    for instance_type, support in INSTANCE_TYPES.items():
        _add(
            org,
            "aws_ec2_instance_types",
            (account_id, region, instance_type),
            account_id=account_id,
            region=region,
            instance_type=instance_type,
            ebs_info={
                "EbsOptimizedSupport": support,
                "EncryptionSupport": "supported",
                "NvmeSupport": "unsupported" if support == "unsupported" else "required",
            },
        )
    images = _images(org, rng, account)
    templates = _launch_templates(org, rng, account, images)
    configurations = _launch_configurations(org, rng, account, images)
    _autoscaling_groups(org, rng, account, templates, configurations)
    for number in range(rng.randint(3, 6)):
        _instance(org, rng, account, images, number)
    _repositories(org, rng, account)
    for number in range(rng.randint(2, 4)):
        _function(org, rng, account, number)


def _images(org: Organisation, rng: random.Random, account: Account) -> list[str]:
    account_id, region = account.account_id, account.region
    image_ids = []
    for number in range(rng.randint(1, 3)):
        image_id = f"ami-{rng.getrandbits(68):017x}"
        arn = f"arn:aws:ec2:{region}::image/{image_id}"
        private = _good(org, "ami", rng, 0.9)
        _add(
            org,
            "aws_ec2_images",
            (account_id, region, arn),
            account_id=account_id,
            region=region,
            arn=arn,
            tags=org.tags(),
            image_id=image_id,
            owner_id=account_id,
            public=not private,
            state="available",
            creation_date=org.as_of - timedelta(days=rng.randint(20, 700)),
            imds_support="v2.0" if rng.random() < 0.5 else None,
        )
        if not private:
            _add(org, "aws_ec2_image_launch_permissions", (arn, "all"), image_arn=arn, group="all")
        elif number == 0 and len(org.accounts) > 1:
            peer = org.accounts[(account.index + 1) % len(org.accounts)].account_id
            _add(org, "aws_ec2_image_launch_permissions", (arn, peer), image_arn=arn, user_id=peer)
        image_ids.append(image_id)
    return image_ids


def _template_data(
    rng: random.Random, image_id: str, public_ip: bool, imdsv2: bool
) -> dict[str, object]:
    return {
        "ImageId": image_id,
        "InstanceType": rng.choice(tuple(INSTANCE_TYPES)),
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": public_ip}],
        "MetadataOptions": {
            "HttpTokens": "required" if imdsv2 else "optional",
            "HttpEndpoint": "enabled",
        },
    }


def _launch_templates(
    org: Organisation, rng: random.Random, account: Account, images: list[str]
) -> list[str]:
    account_id, region = account.account_id, account.region
    names = []
    for number in range(rng.randint(1, 2)):
        template_id = f"lt-{rng.getrandbits(68):017x}"
        name = f"{WORKLOADS[number % len(WORKLOADS)]}-template"
        arn = f"arn:aws:ec2:{region}:{account_id}:launch-template/{template_id}"
        private = _good(org, "launch_template_ip", rng, 0.75)
        imdsv2 = _good(org, "launch_template_imds", rng, 0.7)
        latest = rng.randint(1, 4)
        default = latest if rng.random() < 0.7 else rng.randint(1, latest)
        _add(
            org,
            "aws_ec2_launch_templates",
            arn,
            account_id=account_id,
            region=region,
            arn=arn,
            tags=org.tags(),
            launch_template_id=template_id,
            launch_template_name=name,
            default_version_number=default,
            latest_version_number=latest,
        )
        for version in range(1, latest + 1):
            read = version in (default, latest)
            # versions that launches read carry the template's posture; older
            # ones were the IMDSv1, public-IP first drafts
            data = _template_data(
                rng, rng.choice(images), not private if read else True, imdsv2 if read else False
            )
            _add(
                org,
                "aws_ec2_launch_template_versions",
                (arn, version),
                account_id=account_id,
                region=region,
                arn=arn,
                version_number=version,
                default_version=version == default,
                launch_template_id=template_id,
                launch_template_data=data,
            )
        names.append(template_id)
    return names


def _launch_configurations(
    org: Organisation, rng: random.Random, account: Account, images: list[str]
) -> list[str]:
    account_id, region = account.account_id, account.region
    names = []
    for number in range(rng.randint(0, 2) if account.index > 1 else 1):
        name = f"{WORKLOADS[(number + 3) % len(WORKLOADS)]}-lc-{rng.randint(1, 99)}"
        arn = (
            f"arn:aws:autoscaling:{region}:{account_id}:launchConfiguration:"
            f"{rng.getrandbits(64):016x}:launchConfigurationName/{name}"
        )
        private = _good(org, "launch_configuration_ip", rng, 0.6)
        imdsv2 = _good(org, "launch_configuration_imds", rng, 0.5)
        _add(
            org,
            "aws_autoscaling_launch_configurations",
            arn,
            account_id=account_id,
            region=region,
            arn=arn,
            launch_configuration_name=name,
            associate_public_ip_address=not private,
            metadata_options={"HttpTokens": "required" if imdsv2 else "optional"},
            instance_monitoring={"Enabled": rng.random() < 0.5},
            ebs_optimized=rng.random() < 0.5,
        )
        names.append(name)
    return names


def _autoscaling_groups(
    org: Organisation,
    rng: random.Random,
    account: Account,
    templates: list[str],
    configurations: list[str],
) -> None:
    account_id, region = account.account_id, account.region
    for number in range(rng.randint(1, 2)):
        name = f"{WORKLOADS[number % len(WORKLOADS)]}-asg"
        arn = (
            f"arn:aws:autoscaling:{region}:{account_id}:autoScalingGroup:"
            f"{rng.getrandbits(64):016x}:autoScalingGroupName/{name}"
        )
        resilient = _good(org, "autoscaling_group", rng, 0.7)
        behind_lb = rng.random() < 0.7 or not resilient
        zones = [f"{region}{zone}" for zone in "abc"[: rng.randint(2, 3)]]
        if not resilient and rng.random() < 0.5:
            zones = zones[:1]
        health = "ELB" if behind_lb and (resilient or len(zones) == 1) else "EC2"
        target_group = (
            f"arn:aws:elasticloadbalancing:{region}:{account_id}:targetgroup/{name}/"
            f"{rng.getrandbits(64):016x}"
        )
        use_template = bool(templates) and (not configurations or rng.random() < 0.6)
        _add(
            org,
            "aws_autoscaling_groups",
            arn,
            account_id=account_id,
            region=region,
            arn=arn,
            tags=org.tags(),
            auto_scaling_group_name=name,
            availability_zones=zones,
            health_check_type=health,
            load_balancer_names=[],
            target_group_arns=[target_group] if behind_lb else [],
            launch_configuration_name=None if use_template else rng.choice(configurations),
            launch_template=(
                {"LaunchTemplateId": rng.choice(templates), "Version": "$Default"}
                if use_template
                else None
            ),
            vpc_zone_identifier=",".join(f"subnet-{rng.getrandbits(68):017x}" for _ in zones),
        )


def _instance(
    org: Organisation, rng: random.Random, account: Account, images: list[str], number: int
) -> None:
    account_id, region = account.account_id, account.region
    instance_id = f"i-{rng.getrandbits(68):017x}"
    state = "running" if number == 0 else rng.choice(("running",) * 8 + ("stopped", "terminated"))
    imdsv2 = _good(org, "instance_imds", rng, 0.7)
    monitored = _good(org, "instance_monitoring", rng, 0.6)
    instance_type = rng.choice(tuple(INSTANCE_TYPES))
    optimized = _good(org, "instance_ebs", rng, 0.6)
    if INSTANCE_TYPES[instance_type] != "supported" and org.counters["compute:instance_ebs"] <= 2:
        instance_type = "m3.xlarge"
    _add(
        org,
        "aws_ec2_instances",
        f"arn:aws:ec2:{region}:{account_id}:instance/{instance_id}",
        account_id=account_id,
        region=region,
        arn=f"arn:aws:ec2:{region}:{account_id}:instance/{instance_id}",
        tags=org.tags(),
        instance_id=instance_id,
        state={"Code": {"running": 16, "stopped": 80, "terminated": 48}[state], "Name": state},
        metadata_options={
            "HttpTokens": "required" if imdsv2 else "optional",
            "HttpEndpoint": "enabled",
            "HttpPutResponseHopLimit": 2 if imdsv2 else 1,
            "State": "applied",
        },
        monitoring={"State": "enabled" if monitored else "disabled"},
        # the organisation's first two instances host Nitro Enclaves (the
        # first one hardened, the second not): the enclave-host control has
        # rows in every demo
        enclave_options={"Enabled": org.counters["compute:instance_imds"] <= 2},
        ebs_optimized=optimized or INSTANCE_TYPES[instance_type] == "default",
        instance_type=instance_type,
        image_id=rng.choice(images),
        launch_time=org.as_of - timedelta(days=rng.randint(1, 400)),
        # placed in a private subnet without a public address; network.py adds
        # the instances whose placement varies (it fills the same table)
        vpc_id=f"vpc-{rng.getrandbits(68):017x}" if state != "terminated" else None,
        subnet_id=f"subnet-{rng.getrandbits(68):017x}" if state != "terminated" else None,
        network_interfaces=[],
        security_groups=[],
    )
    if state == "terminated":
        return
    managed = _good(org, "ssm_managed", rng, 0.8) if state == "running" else rng.random() < 0.8
    if managed:
        _managed_instance(org, rng, account_id, region, instance_id, state)


def _managed_instance(
    org: Organisation,
    rng: random.Random,
    account_id: str,
    region: str,
    instance_id: str,
    state: str,
) -> None:
    arn = f"arn:aws:ssm:{region}:{account_id}:managed-instance/{instance_id}"
    online = state == "running" and rng.random() < 0.9
    _add(
        org,
        "aws_ssm_instances",
        arn,
        account_id=account_id,
        region=region,
        arn=arn,
        instance_id=instance_id,
        ping_status="Online" if online else "ConnectionLost",
        last_ping_date_time=org.as_of - timedelta(minutes=rng.randint(1, 50)),
        resource_type="EC2Instance",
        platform_type=rng.choice(("Linux", "Linux", "Windows")),
        agent_version="3.3.1142.0",
        is_latest_version=rng.random() < 0.7,
        association_status="Success",
    )
    patched = _good(org, "ssm_patch", rng, 0.7)
    if patched or rng.random() < 0.8:
        for number, title in enumerate(("openssl", "kernel", "curl")[: rng.randint(1, 3)]):
            _compliance_item(
                org, account_id, region, arn, instance_id, f"patch-{number}", "Patch", title,
                compliant=patched or number > 0,
            )  # fmt: skip
    if rng.random() < 0.7 or org.counters.get("compute:ssm_association", 0) < 2:
        compliant = _good(org, "ssm_association", rng, 0.8)
        _compliance_item(
            org, account_id, region, arn, instance_id, "association-0", "Association",
            "AWS-GatherSoftwareInventory", compliant=compliant,
        )  # fmt: skip


def _compliance_item(
    org: Organisation,
    account_id: str,
    region: str,
    instance_arn: str,
    instance_id: str,
    item_id: str,
    compliance_type: str,
    title: str,
    compliant: bool,
) -> None:
    _add(
        org,
        "aws_ssm_instance_compliance_items",
        (instance_arn, item_id),
        account_id=account_id,
        region=region,
        instance_arn=instance_arn,
        id=item_id,
        resource_id=instance_id,
        compliance_type=compliance_type,
        status="COMPLIANT" if compliant else "NON_COMPLIANT",
        severity="UNSPECIFIED" if compliant else "CRITICAL",
        title=title,
    )


def _repositories(org: Organisation, rng: random.Random, account: Account) -> None:
    account_id, region = account.account_id, account.region
    for number in range(rng.randint(1, 3)):
        name = f"{WORKLOADS[(number + 2) % len(WORKLOADS)]}-images"
        arn = f"arn:aws:ecr:{region}:{account_id}:repository/{name}"
        good = _good(org, "ecr_repository", rng, 0.5)
        scan = good or rng.random() < 0.5
        immutable = good or not scan or rng.random() < 0.3
        _add(
            org,
            "aws_ecr_repositories",
            (arn, account_id),
            account_id=account_id,
            region=region,
            arn=arn,
            tags=org.tags(),
            registry_id=account_id,
            repository_name=name,
            image_scanning_configuration={"ScanOnPush": scan},
            image_tag_mutability="IMMUTABLE" if good or (immutable and not scan) else "MUTABLE",
            encryption_configuration={"EncryptionType": "AES256"},
        )


def _function(org: Organisation, rng: random.Random, account: Account, number: int) -> None:
    account_id, region = account.account_id, account.region
    name = f"{WORKLOADS[(number + account.index) % len(WORKLOADS)]}-fn-{number}"
    arn = f"arn:aws:lambda:{region}:{account_id}:function:{name}"
    supported = _good(org, "lambda_runtime", rng, 0.8)
    in_vpc = _good(org, "lambda_vpc", rng, 0.6)
    limited = _good(org, "lambda_concurrency", rng, 0.4)
    dead_letter = _good(org, "lambda_dlq", rng, 0.5)
    clean = _good(org, "lambda_secrets", rng, 0.85)
    variables = {"LOG_LEVEL": rng.choice(("info", "debug")), "STAGE": "prod"}
    if not clean:
        variables[rng.choice(("DB_PASSWORD", "STRIPE_API_KEY", "GITHUB_TOKEN"))] = (
            f"{rng.getrandbits(96):024x}"
        )
    configuration: dict[str, object] = {
        "FunctionName": name,
        "FunctionArn": arn,
        "PackageType": "Zip",
        "Runtime": rng.choice(CURRENT_RUNTIMES if supported else DEPRECATED_RUNTIMES),
        "Role": f"arn:aws:iam::{account_id}:role/{name}-role",
        "Environment": {"Variables": variables},
        "TracingConfig": {"Mode": "PassThrough"},
    }
    if in_vpc:
        configuration["VpcConfig"] = {
            "VpcId": f"vpc-{rng.getrandbits(68):017x}",
            "SubnetIds": [f"subnet-{rng.getrandbits(68):017x}"],
            "SecurityGroupIds": [f"sg-{rng.getrandbits(68):017x}"],
        }
    destination = f"arn:aws:sqs:{region}:{account_id}:{name}-failures"
    use_destination = dead_letter and rng.random() < 0.5
    if dead_letter and not use_destination:
        configuration["DeadLetterConfig"] = {"TargetArn": destination}
    _add(
        org,
        "aws_lambda_functions",
        arn,
        account_id=account_id,
        region=region,
        arn=arn,
        tags=org.tags(),
        configuration=configuration,
        concurrency={"ReservedConcurrentExecutions": rng.choice((5, 10, 50))} if limited else None,
    )
    if use_destination or rng.random() < 0.2:
        _add(
            org,
            "aws_lambda_function_event_invoke_configs",
            arn,
            account_id=account_id,
            region=region,
            function_arn=arn,
            destination_config={
                "OnSuccess": {},
                "OnFailure": {"Destination": destination} if use_destination else {},
            },
            maximum_retry_attempts=2,
        )


def _inspector(org: Organisation, rng: random.Random, account: Account, region: str) -> None:
    """Coverage of the account's instances and functions in a region, and its findings."""
    account_id = account.account_id
    active = _good(org, "inspector_region", rng, 0.7)
    if not active and rng.random() < 0.5:
        return
    resources = [
        (row["instance_id"], "AWS_EC2_INSTANCE")
        for row in org.tables["aws_ec2_instances"]
        if row["account_id"] == account_id and row["region"] == region
    ] + [
        (row["arn"], "AWS_LAMBDA_FUNCTION")
        for row in org.tables["aws_lambda_functions"]
        if row["account_id"] == account_id and row["region"] == region
    ]
    if not resources:
        resources = [
            (f"arn:aws:ecr:{region}:{account_id}:repository/base-images", "AWS_ECR_REPOSITORY")
        ]
    for resource_id, resource_type in resources:
        _add(
            org,
            "aws_inspector2_covered_resources",
            (account_id, region, resource_id),
            request_account_id=account_id,
            request_region=region,
            account_id=account_id,
            resource_id=resource_id,
            resource_type=resource_type,
            scan_type="PACKAGE",
            scan_status={"StatusCode": "ACTIVE"} if active else {"StatusCode": "INACTIVE"},
            last_scanned_at=org.as_of - timedelta(hours=rng.randint(1, 48)) if active else None,
        )
    if not active:
        return
    stale_index = org.next_index("compute:inspector_stale")
    stale = stale_index == 1 or (stale_index > 1 and rng.random() < 0.15)
    for number in range(rng.randint(1, 3)):
        critical = number == 0 and stale
        first_seen = org.as_of - timedelta(
            days=rng.randint(45, 120) if critical else rng.randint(1, 20)
        )
        arn = f"arn:aws:inspector2:{region}:{account_id}:finding/{rng.getrandbits(128):032x}"
        _add(
            org,
            "aws_inspector2_findings",
            (account_id, region, arn),
            request_account_id=account_id,
            request_region=region,
            arn=arn,
            aws_account_id=account_id,
            severity="CRITICAL" if critical else rng.choice(("HIGH", "MEDIUM", "LOW")),
            status="ACTIVE",
            type="PACKAGE_VULNERABILITY",
            title=f"CVE-2026-{rng.randint(1000, 9999)} - {rng.choice(PACKAGES)}",
            first_observed_at=first_seen,
            last_observed_at=org.as_of - timedelta(hours=rng.randint(1, 24)),
            fix_available="YES",
            resources=[{"Id": resource_id, "Type": resource_type, "Region": region}],
        )


SERVICE = Service("compute", TABLES, generate)
