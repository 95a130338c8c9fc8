"""A deterministic multi-account AWS organisation in CloudQuery's layout; `soc2 generate`.

`generate_organisation(OrgSize(), seed=7)` returns the rows of every table,
identical for the same size, seed and evaluation date. The package splits by
concern:

- `organisation`: `OrgSize`, accounts and their plans, the seeded random
  stream and the tables (`Organisation`), the `Service` record;
- `records`, `documents`: row types, stable ids, policy-document spellings;
- `iam/`: users, groups, roles, trust, policies, credentials, password policy;
- `s3`: buckets, their settings and policies, the account public-access block;
- `s3_settings`: bucket grants, ownership, object lock, replication, lifecycle
  and notifications, IAM server certificates, root virtual MFA devices;
- `logging`: CloudTrail trails, selectors and events, CloudWatch Logs groups
  and metric filters, CloudWatch alarms, SNS topics and subscriptions;
- `detection`: regions, Config, GuardDuty, Access Analyzer, Security Hub,
  VPC flow logs, contacts, the organisation, Trusted Advisor, Well-Architected;
- `services`: the workload services whose logging and hardening controls read
  (load balancers, API Gateway, RDS, ..., Amazon MQ);
- `network`: inside the VPCs of `detection`, subnets, route tables, internet
  and transit gateways, network ACLs, security groups, instances, network
  interfaces, Elastic IPs and peering;
- `data_stores`: EBS, database snapshots and clusters, DynamoDB, EFS, SQS,
  Kinesis, Firehose, SageMaker and Glue settings the encryption-at-rest
  controls read;
- `transport`: encryption in transit, keys and secrets: load-balancer
  listeners, web ACLs and TLS policies, Redshift and RDS TLS parameters, ACM
  certificates, KMS keys and rotation, Secrets Manager, MSK, Transfer Family;
- `backup`: AWS Backup vaults, plans, selections, protected resources,
  recovery points and report plans, the data services they protect, and the
  backup and availability columns of the resources `services` made;
- `assemble`: the list of services, `TABLES`, `generate_organisation`;
- `command`: the `soc2 generate` subcommand.

Adding an inventory service (CloudTrail, GuardDuty, Config...) is a new
module plus one line in `assemble.SERVICES`. The tables and their columns
are declared in `models/staging/aws/_soc2_aws__sources.yml` (the generator
rejects undeclared columns). The module defines `TABLES`, a `generate(org)`
that loops over `org.accounts`, writes with `org.add(table, row)` and draws
only from `org.stream("<name>")`, and `SERVICE = Service("<name>", TABLES,
generate)`; its docstring says what it generates and why its mix of good and
bad configurations is realistic. Its own stream leaves every existing table
byte-identical (`test_a_new_service_leaves_existing_tables_unchanged`).
"""

from __future__ import annotations

from soc2_tools.generator.assemble import SERVICES, TABLES, generate_organisation
from soc2_tools.generator.command import add_arguments, run
from soc2_tools.generator.iam.managed import aws_managed_arn
from soc2_tools.generator.organisation import DEFAULT_AS_OF, OrgSize, Service
from soc2_tools.generator.records import (
    ID_NAMESPACE,
    POLICY_VERSION,
    Doc,
    Row,
    Statement,
    Tables,
    cq_id,
)

__all__ = [
    "DEFAULT_AS_OF",
    "ID_NAMESPACE",
    "POLICY_VERSION",
    "SERVICES",
    "TABLES",
    "Doc",
    "OrgSize",
    "Row",
    "Service",
    "Statement",
    "Tables",
    "add_arguments",
    "aws_managed_arn",
    "cq_id",
    "generate_organisation",
    "run",
]
