"""Assembles every service's tables into one organisation: the list of services lives here.

The core (IAM and S3) is built account by account on the organisation's
shared random stream, in the fixed order of `_core_account`: S3 buckets come
before IAM policies because policies name the account's buckets, and the
account summaries come last because they count what the other steps made.
Changing that order changes every later draw, hence every generated row.

Every other service is one line in `SERVICES`: its `generate` runs after the
core, sees all of `org.accounts` and draws from `org.stream(name)`, so adding
a service adds its tables and leaves the existing ones byte-identical.
"""

from __future__ import annotations

from datetime import datetime

from soc2_tools import rawdb
from soc2_tools.generator import (
    backup,
    compute,
    data_stores,
    detection,
    exposure,
    iam,
    logging,
    network,
    s3,
    s3_settings,
    services,
    transport,
)
from soc2_tools.generator.iam import account as iam_account
from soc2_tools.generator.iam import credentials, groups, policies, roles, users
from soc2_tools.generator.organisation import (
    DEFAULT_AS_OF,
    Account,
    Organisation,
    OrgSize,
    Service,
)
from soc2_tools.generator.records import Tables

SERVICES: tuple[Service, ...] = (
    iam.SERVICE,
    s3.SERVICE,
    s3_settings.SERVICE,
    logging.SERVICE,
    detection.SERVICE,
    services.SERVICE,
    exposure.SERVICE,
    network.SERVICE,
    compute.SERVICE,
    data_stores.SERVICE,
    transport.SERVICE,
    backup.SERVICE,
)
# A table may be filled by two services (EC2 instances: network.py places
# some, compute.py runs others); it is listed once, where it first appears.
TABLES = tuple(dict.fromkeys(table for service in SERVICES for table in service.tables))


def _core_account(org: Organisation, account: Account) -> None:
    """IAM and S3 of one account on the shared stream; the order is part of the output."""
    iam_account.password_policy(org, account)
    s3.buckets(org, account)
    policies.policies(org, account)
    groups.groups(org, account)
    users.users(org, account)
    roles.roles(org, account)
    iam_account.account_summary(org, account)
    credentials.root_report(org, account)
    s3.account_block(org, account)


def build(
    size: OrgSize,
    seed: int,
    as_of: datetime,
    services: tuple[Service, ...] = SERVICES,
) -> Tables:
    """The raw rows of every service's tables, before column completion.

    `services` must include the IAM and S3 core, which always runs.
    """
    tables = tuple(dict.fromkeys(table for service in services for table in service.tables))
    org = Organisation(size, seed, as_of, tables)
    for index in range(len(org.account_ids)):
        _core_account(org, org.new_account(index))
    policies.corrupt_documents(org)
    for service in services:
        if service.generate is not None:
            service.generate(org)
    return org.tables


def complete(tables: Tables, specs: rawdb.TableSpecs) -> Tables:
    """Every declared column on every row, in declared order."""
    completed: Tables = {}
    for table, rows in tables.items():
        columns = [name for name, _ in specs[table]]
        unknown = sorted({key for row in rows for key in row} - set(columns))
        if unknown:
            raise ValueError(f"generator produced undeclared columns for {table}: {unknown}")
        completed[table] = [{column: row.get(column) for column in columns} for row in rows]
    return completed


def generate_organisation(
    size: OrgSize, seed: int = 7, as_of: datetime = DEFAULT_AS_OF
) -> dict[str, list[dict]]:
    """Rows for every generated table, deterministic in (size, seed, as_of)."""
    return complete(build(size, seed, as_of), rawdb.load_table_specs())
