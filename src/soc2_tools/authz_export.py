"""Convert an AWS CLI IAM export into rows of CloudQuery's AWS IAM tables, and back.

Input: the JSON of ``aws iam get-account-authorization-details`` (keys UserDetailList,
GroupDetailList, RoleDetailList and Policies, every one optional) and, optionally, the
text of an IAM credential report CSV. Output: ``{table name: [row, ...]}`` with the
columns of ``models/staging/aws/_soc2_aws__sources.yml`` (source ``cloudquery_aws``).
Writing the rows to a database is ``soc2_tools.rawdb.write_tables``'s job.

Python values per package column type: text -> str; json -> a dict or list, or a
str holding JSON text (the convention of rawdb; used for a policy document that
could not be decoded, kept as a JSON string so that it is reported downstream
rather than dropped); uuid -> uuid.UUID; boolean -> bool; bigint -> int;
timestamp -> naive UTC datetime. Absent values are None. ``_cq_id`` is a
deterministic UUID of the table's primary-key components; child rows carry their
parent's ``_cq_id`` in ``_cq_parent_id``. ``_cq_source_name`` and ``_cq_sync_time``
are left to the writer unless given.

Every table the authorization details imply is present, possibly empty (the export
was taken, so an empty table means "none", not "not synced");
``aws_iam_credential_reports`` is present only when a credential report is given.

The other direction, ``to_authorization_details``, writes CloudQuery's per-entity IAM rows
(e.g. a generated organisation) as one export per account, as the AWS CLI prints it: the
input of Cloudsplaining in the benchmark, and of the tests that build one account from
either form.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote

from soc2_tools import rawdb

__all__ = [
    "AWS_MANAGED_ACCOUNT",
    "IMPORTED_TABLES",
    "account_of",
    "convert_credential_report",
    "convert_export",
    "convert_files",
    "decode_policy_document",
    "export_accounts",
    "parse_timestamp",
    "table_columns",
    "to_authorization_details",
]

Row = dict[str, object]
Tables = dict[str, list[Row]]

AWS_MANAGED_ACCOUNT = "aws"  # the account field of arn:aws:iam::aws:policy/...
_ID_NAMESPACE = uuid.UUID("6f1d2c1e-8f3a-5b7c-9d2e-4a6b8c0d1e2f")
_SYSTEM = ("_cq_id", "_cq_parent_id")
_SYNC = ("_cq_source_name", "_cq_sync_time")

# The tables an export (and a credential report) fill; their columns are read from the
# sources YAML, the one declaration of CloudQuery's tables.
IMPORTED_TABLES = (
    "aws_iam_account_authorization_details",
    "aws_iam_users",
    "aws_iam_groups",
    "aws_iam_user_groups",
    "aws_iam_roles",
    "aws_iam_policies",
    "aws_iam_policy_versions",
    "aws_iam_user_policies",
    "aws_iam_group_policies",
    "aws_iam_role_policies",
    "aws_iam_user_attached_policies",
    "aws_iam_group_attached_policies",
    "aws_iam_role_attached_policies",
    "aws_iam_instance_profiles",
    "aws_iam_credential_reports",
)


def table_columns() -> dict[str, tuple[str, ...]]:
    """Columns of each imported table, in the order the sources YAML declares them."""
    specs = rawdb.load_table_specs()
    return {table: tuple(name for name, _ in specs[table]) for table in IMPORTED_TABLES}


_EXPORT_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
_AUTHZ_TABLES = tuple(t for t in IMPORTED_TABLES if t != "aws_iam_credential_reports")


# ---------------------------------------------------------------------------
# Value helpers


def account_of(arn: object, where: str) -> str:
    """The account field (5th ':'-separated field) of an ARN; 'aws' for AWS-managed policies."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) < 6 or parts[0] != "arn" or not parts[4]:
        raise ValueError(f"{where}: not an ARN with an account field: {arn!r}")
    return parts[4]


def parse_timestamp(value: object, where: str) -> datetime | None:
    """Parse the export's timestamps ('2019-12-18 19:10:08+00:00', ISO with Z) to naive UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as error:
            raise ValueError(f"{where}: not a timestamp: {value!r}") from error
    else:
        raise ValueError(f"{where}: not a timestamp: {value!r}")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def decode_policy_document(value: object) -> object:
    """A policy document as a JSON value.

    Objects are returned as they are. Strings are URL-decoded, then parsed as JSON; a
    string that still is not JSON is returned URL-decoded, so that the document is
    kept (and reported downstream) rather than dropped.
    """
    if not isinstance(value, str):
        return value
    text = unquote(value)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _json_column(decoded: object) -> object:
    """A decoded document for a json column: an undecodable one as a JSON string."""
    return json.dumps(decoded) if isinstance(decoded, str) else decoded


def _document_text(raw: object, decoded: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return unquote(raw)
    return json.dumps(decoded)


def _tags(value: object, where: str) -> dict[str, object] | None:
    """CloudQuery stores tags as {"Key": "Value"}; the export as [{"Key", "Value"}]."""
    if value is None or isinstance(value, Mapping):
        return None if value is None else dict(value)
    if isinstance(value, list) and all(isinstance(t, Mapping) and "Key" in t for t in value):
        return {str(t["Key"]): t.get("Value") for t in value}
    raise ValueError(f"{where}: Tags must be a list of {{Key, Value}} objects")


def _bool(value: object, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"{where}: not a boolean: {value!r}")


def _int(value: object, where: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise ValueError(f"{where}: not an integer: {value!r}")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _permissions_boundary(value: object, where: str) -> dict[str, object] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: PermissionsBoundary must be an object")
    return {
        "PermissionsBoundaryType": value.get("PermissionsBoundaryType"),
        "PermissionsBoundaryArn": value.get("PermissionsBoundaryArn"),
    }


def _role_last_used(value: object, where: str) -> dict[str, object] | None:
    """Keep the object; write LastUsedDate as RFC 3339 UTC, as CloudQuery's JSON does."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: RoleLastUsed must be an object")
    result = dict(value)
    last_used = parse_timestamp(value.get("LastUsedDate"), f"{where}.LastUsedDate")
    if last_used is not None:
        result["LastUsedDate"] = last_used.isoformat(timespec="seconds") + "Z"
    return result


def _entries(container: Mapping[str, object], key: str, where: str) -> list[Mapping[str, object]]:
    """An optional list of objects; None or absent is empty, anything else is an error."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{where}{key} must be a list, got {type(value).__name__}")
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ValueError(f"{where}{key}[{index}] must be an object, got {type(item).__name__}")
    return value


def _names(container: Mapping[str, object], key: str, where: str) -> list[str]:
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}{key} must be a list of strings")
    return value


# ---------------------------------------------------------------------------
# Row building


@dataclass
class _Builder:
    source_name: str | None = None
    synced_at: datetime | None = None
    tables: Tables = field(default_factory=dict)
    columns: dict[str, tuple[str, ...]] = field(default_factory=table_columns)

    def add(self, table: str, key: Iterable[object], parent: Row | None, **values: object) -> Row:
        columns = self.columns[table]
        unknown = set(values) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no columns {sorted(unknown)}")
        row: Row = dict.fromkeys(columns)
        row.update(values)
        row["_cq_id"] = _row_id(table, key)
        row["_cq_parent_id"] = None if parent is None else parent["_cq_id"]
        row["_cq_source_name"] = self.source_name
        row["_cq_sync_time"] = self.synced_at
        self.tables.setdefault(table, []).append(row)
        return row


def _row_id(table: str, key: Iterable[object]) -> uuid.UUID:
    parts = ["" if part is None else str(part) for part in key]
    return uuid.uuid5(_ID_NAMESPACE, "\x1f".join([table, *parts]))


@dataclass(frozen=True)
class _Entity:
    """One export entry with its position (for messages) and account."""

    where: str
    data: Mapping[str, object]
    account_id: str

    def get(self, key: str) -> object:
        return self.data.get(key)


def _entities(export: Mapping[str, object], key: str) -> list[_Entity]:
    return [
        _Entity(f"{key}[{i}]", item, account_of(item.get("Arn"), f"{key}[{i}].Arn"))
        for i, item in enumerate(_entries(export, key, ""))
    ]


def _add_inline(
    b: _Builder, table: str, owner: _Entity, owner_row: Row, list_key: str, **owner_cols: object
) -> None:
    """Inline policies: one row per entry of UserPolicyList / GroupPolicyList / RolePolicyList."""
    for policy in _entries(owner.data, list_key, f"{owner.where}."):
        name = _text(policy.get("PolicyName"))
        document = decode_policy_document(policy.get("PolicyDocument"))
        b.add(
            table,
            (owner.account_id, owner_row["arn"], name),
            owner_row,
            account_id=owner.account_id,
            policy_name=name,
            policy_document=_json_column(document),
            **owner_cols,
        )


def _add_attached(
    b: _Builder, table: str, owner: _Entity, owner_row: Row, **owner_cols: object
) -> None:
    for policy in _entries(owner.data, "AttachedManagedPolicies", f"{owner.where}."):
        arn = _text(policy.get("PolicyArn"))
        b.add(
            table,
            (owner.account_id, owner_row["arn"], arn),
            owner_row,
            account_id=owner.account_id,
            policy_arn=arn,
            policy_name=_text(policy.get("PolicyName")),
            **owner_cols,
        )


def _add_groups(b: _Builder, groups: list[_Entity]) -> None:
    for g in groups:
        arn, name = _text(g.get("Arn")), _text(g.get("GroupName"))
        row = b.add(
            "aws_iam_groups",
            (g.account_id, arn),
            None,
            account_id=g.account_id,
            arn=arn,
            create_date=parse_timestamp(g.get("CreateDate"), f"{g.where}.CreateDate"),
            group_id=_text(g.get("GroupId")),
            group_name=name,
            path=_text(g.get("Path")),
        )
        cols = {"group_arn": arn, "group_name": name}
        _add_inline(b, "aws_iam_group_policies", g, row, "GroupPolicyList", **cols)
        _add_attached(b, "aws_iam_group_attached_policies", g, row, group_arn=arn)


def _add_users(b: _Builder, users: list[_Entity], groups: list[_Entity]) -> None:
    group_by_name = {(g.account_id, g.get("GroupName")): g for g in groups}
    for u in users:
        arn, user_id = _text(u.get("Arn")), _text(u.get("UserId"))
        name = _text(u.get("UserName"))
        row = b.add(
            "aws_iam_users",
            (u.account_id, arn),
            None,
            account_id=u.account_id,
            arn=arn,
            tags=_tags(u.get("Tags"), u.where),
            create_date=parse_timestamp(u.get("CreateDate"), f"{u.where}.CreateDate"),
            path=_text(u.get("Path")),
            user_id=user_id,
            user_name=name,
            password_last_used=parse_timestamp(
                u.get("PasswordLastUsed"), f"{u.where}.PasswordLastUsed"
            ),
            permissions_boundary=_permissions_boundary(u.get("PermissionsBoundary"), u.where),
        )
        for group_name in _names(u.data, "GroupList", f"{u.where}."):
            _add_membership(b, u, row, group_name, group_by_name.get((u.account_id, group_name)))
        cols = {"user_arn": arn, "user_id": user_id, "user_name": name}
        _add_inline(b, "aws_iam_user_policies", u, row, "UserPolicyList", **cols)
        _add_attached(b, "aws_iam_user_attached_policies", u, row, user_arn=arn, user_id=user_id)


def _add_membership(
    b: _Builder, user: _Entity, user_row: Row, group_name: str, group: _Entity | None
) -> None:
    """GroupList holds names; the group's ARN and details come from GroupDetailList.

    A name absent from GroupDetailList is kept with a null ARN (reported downstream).
    """
    details: Mapping[str, object] = {} if group is None else group.data
    group_arn = _text(details.get("Arn"))
    b.add(
        "aws_iam_user_groups",
        (user.account_id, user_row["arn"], group_arn if group_arn else group_name),
        user_row,
        account_id=user.account_id,
        user_arn=user_row["arn"],
        user_id=user_row["user_id"],
        arn=group_arn,
        create_date=parse_timestamp(details.get("CreateDate"), f"group {group_name!r}"),
        group_id=_text(details.get("GroupId")),
        group_name=group_name,
        path=_text(details.get("Path")),
    )


def _add_roles(b: _Builder, roles: list[_Entity]) -> None:
    profiles_seen: set[tuple[str, object]] = set()
    for r in roles:
        arn, name = _text(r.get("Arn")), _text(r.get("RoleName"))
        row = b.add(
            "aws_iam_roles",
            (r.account_id, arn),
            None,
            account_id=r.account_id,
            assume_role_policy_document=_json_column(
                decode_policy_document(r.get("AssumeRolePolicyDocument"))
            ),
            tags=_tags(r.get("Tags"), r.where),
            arn=arn,
            create_date=parse_timestamp(r.get("CreateDate"), f"{r.where}.CreateDate"),
            path=_text(r.get("Path")),
            role_id=_text(r.get("RoleId")),
            role_name=name,
            description=_text(r.get("Description")),
            max_session_duration=_int(r.get("MaxSessionDuration"), f"{r.where}.MaxSessionDuration"),
            permissions_boundary=_permissions_boundary(r.get("PermissionsBoundary"), r.where),
            role_last_used=_role_last_used(r.get("RoleLastUsed"), f"{r.where}.RoleLastUsed"),
        )
        cols = {"role_arn": arn, "role_name": name}
        _add_inline(b, "aws_iam_role_policies", r, row, "RolePolicyList", **cols)
        _add_attached(b, "aws_iam_role_attached_policies", r, row, role_arn=arn)
        _add_instance_profiles(b, r, profiles_seen)


def _add_instance_profiles(b: _Builder, role: _Entity, seen: set[tuple[str, object]]) -> None:
    """A profile is listed under each of its roles; emit it once per account."""
    for i, p in enumerate(_entries(role.data, "InstanceProfileList", f"{role.where}.")):
        where = f"{role.where}.InstanceProfileList[{i}]"
        key = (role.account_id, p.get("InstanceProfileId") or p.get("Arn"))
        if key in seen:
            continue
        seen.add(key)
        b.add(
            "aws_iam_instance_profiles",
            key,
            None,
            account_id=role.account_id,
            id=_text(p.get("InstanceProfileId")),
            tags=_tags(p.get("Tags"), where),
            arn=_text(p.get("Arn")),
            create_date=parse_timestamp(p.get("CreateDate"), f"{where}.CreateDate"),
            instance_profile_id=_text(p.get("InstanceProfileId")),
            instance_profile_name=_text(p.get("InstanceProfileName")),
            path=_text(p.get("Path")),
            roles=list(_entries(p, "Roles", f"{where}.")),
        )


def _add_policies(b: _Builder, policies: list[_Entity], accounts: list[str]) -> None:
    for p in policies:
        owners = accounts if p.account_id == AWS_MANAGED_ACCOUNT else [p.account_id]
        for account_id in owners:
            _add_policy(b, p, account_id)


def _add_policy(b: _Builder, p: _Entity, account_id: str) -> None:
    arn, w = _text(p.get("Arn")), p.where
    row = b.add(
        "aws_iam_policies",
        (account_id, p.get("PolicyId")),
        None,
        account_id=account_id,
        id=_text(p.get("PolicyId")),
        tags=_tags(p.get("Tags"), w),
        arn=arn,
        attachment_count=_int(p.get("AttachmentCount"), f"{w}.AttachmentCount"),
        create_date=parse_timestamp(p.get("CreateDate"), f"{w}.CreateDate"),
        default_version_id=_text(p.get("DefaultVersionId")),
        description=_text(p.get("Description")),
        is_attachable=_bool(p.get("IsAttachable"), f"{w}.IsAttachable"),
        path=_text(p.get("Path")),
        permissions_boundary_usage_count=_int(
            p.get("PermissionsBoundaryUsageCount"), f"{w}.PermissionsBoundaryUsageCount"
        ),
        policy_id=_text(p.get("PolicyId")),
        policy_name=_text(p.get("PolicyName")),
        update_date=parse_timestamp(p.get("UpdateDate"), f"{w}.UpdateDate"),
    )
    for i, v in enumerate(_entries(p.data, "PolicyVersionList", f"{w}.")):
        vw = f"{w}.PolicyVersionList[{i}]"
        raw = v.get("Document")
        document = decode_policy_document(raw)
        b.add(
            "aws_iam_policy_versions",
            (account_id, arn, v.get("VersionId")),
            row,
            account_id=account_id,
            policy_arn=arn,
            document_json=document if not isinstance(document, str) else None,
            create_date=parse_timestamp(v.get("CreateDate"), f"{vw}.CreateDate"),
            document=_document_text(raw, document),
            is_default_version=_bool(v.get("IsDefaultVersion"), f"{vw}.IsDefaultVersion"),
            version_id=_text(v.get("VersionId")),
        )


def _add_authorization_details(
    b: _Builder, lists: Mapping[str, list[_Entity]], accounts: list[str]
) -> None:
    """One row per account, holding the export's own entries (AWS-managed policies in each)."""
    for account_id in accounts:

        def mine(key: str, account_id: str = account_id) -> list[object]:
            owners = (account_id, AWS_MANAGED_ACCOUNT) if key == "Policies" else (account_id,)
            return [dict(e.data) for e in lists[key] if e.account_id in owners]

        b.add(
            "aws_iam_account_authorization_details",
            (account_id,),
            None,
            account_id=account_id,
            group_detail_list=mine("GroupDetailList"),
            policies=mine("Policies"),
            role_detail_list=mine("RoleDetailList"),
            user_detail_list=mine("UserDetailList"),
        )


# ---------------------------------------------------------------------------
# Credential report

_REPORT_NULLS = frozenset({"N/A", "no_information", ""})
_REPORT_TIMESTAMP_NULLS = _REPORT_NULLS | {"not_supported"}
_REPORT_TIMESTAMPS = (
    "user_creation_time",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "cert_1_last_rotated",
    "cert_2_last_rotated",
)
# CSV column -> CloudQuery column, where CloudQuery renames it.
_REPORT_RENAMES = {
    f"{kind}_{n}_{suffix}": f"{kind}{n}_{suffix}"
    for n in (1, 2)
    for kind, suffixes in (
        ("access_key", ("active", "last_used_region", "last_used_service")),
        ("cert", ("active",)),
    )
    for suffix in suffixes
}
_REPORT_BOOLEANS = (
    "mfa_active",
    "access_key1_active",
    "access_key2_active",
    "cert1_active",
    "cert2_active",
)
_REPORT_TEXTS = (
    "user",
    "arn",
    "password_enabled",
    *(f"access_key{n}_last_used_{what}" for n in (1, 2) for what in ("region", "service")),
)


def convert_credential_report(
    csv_text: str, *, synced_at: datetime | None = None, source_name: str | None = None
) -> list[Row]:
    """Rows of aws_iam_credential_reports from the report's CSV text.

    'N/A' and 'no_information' (and empty cells) are null; 'not_supported' is null in
    timestamp columns and kept in password_enabled, as CloudQuery stores it as text.
    """
    builder = _Builder(source_name, synced_at)
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    header = set(reader.fieldnames or [])
    missing = {"user", "arn"} - header
    if missing:
        raise ValueError(f"credential report has no {sorted(missing)} column(s)")
    for line, raw in enumerate(reader, start=2):
        values = {_REPORT_RENAMES.get(k, k): (v or "").strip() for k, v in raw.items() if k}
        row = _report_row(values, f"credential report line {line}")
        builder.add(
            "aws_iam_credential_reports", (row["arn"], row["user_creation_time"]), None, **row
        )
    return builder.tables.get("aws_iam_credential_reports", [])


def _report_row(values: Mapping[str, str], where: str) -> Row:
    row: Row = {}
    for column in _REPORT_TIMESTAMPS:
        cell = values.get(column, "")
        row[column] = (
            None if cell in _REPORT_TIMESTAMP_NULLS else parse_timestamp(cell, f"{where}, {column}")
        )
    for column in _REPORT_BOOLEANS:
        cell = values.get(column, "")
        row[column] = None if cell in _REPORT_NULLS else _bool(cell, f"{where}, {column}")
    for column in _REPORT_TEXTS:
        cell = values.get(column, "")
        row[column] = None if cell in _REPORT_NULLS else cell
    return row


# ---------------------------------------------------------------------------
# Entry points


def convert_export(
    export: object,
    credential_report_csv: str | None = None,
    *,
    account_id: str | None = None,
    synced_at: datetime | None = None,
    source_name: str | None = None,
) -> Tables:
    """Rows of CloudQuery's IAM tables from a get-account-authorization-details export.

    The account of each entry is read from its ARN. ``account_id`` adds an account
    for exports whose ARNs do not show one (e.g. only AWS-managed policies); AWS-managed
    policies are repeated for every account, as CloudQuery syncs them per account.
    Raises ValueError, naming the key, when the export is malformed.
    """
    if not isinstance(export, Mapping):
        raise ValueError(
            f"authorization details export must be a JSON object, got {type(export).__name__}"
        )
    builder = _Builder(source_name, synced_at)
    lists = {key: _entities(export, key) for key in _EXPORT_LISTS}
    users, groups, roles, policies = (lists[key] for key in _EXPORT_LISTS)
    accounts = _accounts(users + groups + roles + policies, account_id)
    if not accounts and policies:
        raise ValueError(
            "cannot tell the account of the export: its ARNs name only AWS-managed "
            "policies; pass account_id"
        )
    _add_authorization_details(builder, lists, accounts)
    _add_groups(builder, groups)
    _add_users(builder, users, groups)
    _add_roles(builder, roles)
    _add_policies(builder, policies, accounts)
    tables: Tables = {table: builder.tables.get(table, []) for table in _AUTHZ_TABLES}
    if credential_report_csv is not None:
        tables["aws_iam_credential_reports"] = convert_credential_report(
            credential_report_csv, synced_at=synced_at, source_name=source_name
        )
    return tables


def convert_files(
    export_path: Path | str,
    credential_report_path: Path | str | None = None,
    *,
    account_id: str | None = None,
    synced_at: datetime | None = None,
    source_name: str | None = None,
) -> Tables:
    """convert_export on files: the export's JSON and, optionally, the report's CSV."""
    try:
        export = json.loads(Path(export_path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{export_path}: not JSON: {error}") from error
    report = (
        None
        if credential_report_path is None
        else Path(credential_report_path).read_text(encoding="utf-8")
    )
    return convert_export(
        export, report, account_id=account_id, synced_at=synced_at, source_name=source_name
    )


def export_accounts(export: object) -> list[str]:
    """The accounts an export's ARNs name (AWS-managed policies name none), sorted.

    Raises ValueError, naming the key, when the export is malformed.
    """
    if not isinstance(export, Mapping):
        raise ValueError(
            f"authorization details export must be a JSON object, got {type(export).__name__}"
        )
    entities = [entity for key in _EXPORT_LISTS for entity in _entities(export, key)]
    return _accounts(entities, None)


def _accounts(entities: list[_Entity], extra: str | None) -> list[str]:
    found = {e.account_id for e in entities if e.account_id != AWS_MANAGED_ACCOUNT}
    if extra is not None:
        found.add(extra)
    return sorted(found)


# ---------------------------------------------------------------------------
# The other direction: CloudQuery's per-entity IAM tables as exports


def _aws_time(value: object) -> str | None:
    """The AWS CLI's timestamp format, e.g. '2019-12-18 19:10:08+00:00'."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S+00:00")
    if isinstance(value, date):
        return f"{value.isoformat()} 00:00:00+00:00"
    raise ValueError(f"not a timestamp: {value!r}")


def _tag_list(tags: object) -> list[dict[str, object]]:
    if not isinstance(tags, Mapping):
        return []
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def _grouped(rows: Iterable[Row], *key: str) -> dict[tuple[object, ...], list[Row]]:
    grouped: dict[tuple[object, ...], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[tuple(row[k] for k in key)].append(row)
    return grouped


def _without_nones(entry: dict[str, object], *optional: str) -> dict[str, object]:
    return {k: v for k, v in entry.items() if not (k in optional and v is None)}


@dataclass(frozen=True)
class _Index:
    """The child rows (inline and attached policies, memberships, versions) by owner."""

    inline: dict[str, dict[tuple[object, ...], list[Row]]]
    attached: dict[str, dict[tuple[object, ...], list[Row]]]
    memberships: dict[tuple[object, ...], list[Row]]
    versions: dict[tuple[object, ...], list[Row]]

    @classmethod
    def of(cls, tables: Tables) -> _Index:
        def rows(name: str) -> list[Row]:
            return tables.get(name, [])

        kinds = ("user", "group", "role")
        return cls(
            inline={
                k: _grouped(rows(f"aws_iam_{k}_policies"), "account_id", f"{k}_arn") for k in kinds
            },
            attached={
                k: _grouped(rows(f"aws_iam_{k}_attached_policies"), "account_id", f"{k}_arn")
                for k in kinds
            },
            memberships=_grouped(rows("aws_iam_user_groups"), "account_id", "user_arn"),
            versions=_grouped(rows("aws_iam_policy_versions"), "account_id", "policy_arn"),
        )

    def inline_list(self, kind: str, row: Row) -> list[dict[str, object]]:
        owned = self.inline[kind].get((row["account_id"], row["arn"]), [])
        return [
            {"PolicyName": p["policy_name"], "PolicyDocument": p["policy_document"]} for p in owned
        ]

    def attached_list(self, kind: str, row: Row) -> list[dict[str, object]]:
        owned = self.attached[kind].get((row["account_id"], row["arn"]), [])
        return [{"PolicyName": p["policy_name"], "PolicyArn": p["policy_arn"]} for p in owned]


def _user_detail(row: Row, index: _Index) -> dict[str, object]:
    groups = index.memberships.get((row["account_id"], row["arn"]), [])
    entry = {
        "Path": row["path"],
        "UserName": row["user_name"],
        "UserId": row["user_id"],
        "Arn": row["arn"],
        "CreateDate": _aws_time(row["create_date"]),
        "PasswordLastUsed": _aws_time(row.get("password_last_used")),
        "UserPolicyList": index.inline_list("user", row),
        "GroupList": [str(g["group_name"]) for g in groups],
        "AttachedManagedPolicies": index.attached_list("user", row),
        "PermissionsBoundary": row.get("permissions_boundary"),
        "Tags": _tag_list(row.get("tags")),
    }
    return _without_nones(entry, "PasswordLastUsed", "PermissionsBoundary")


def _group_detail(row: Row, index: _Index) -> dict[str, object]:
    return {
        "Path": row["path"],
        "GroupName": row["group_name"],
        "GroupId": row["group_id"],
        "Arn": row["arn"],
        "CreateDate": _aws_time(row["create_date"]),
        "GroupPolicyList": index.inline_list("group", row),
        "AttachedManagedPolicies": index.attached_list("group", row),
    }


def _role_detail(row: Row, index: _Index) -> dict[str, object]:
    entry = {
        "Path": row["path"],
        "RoleName": row["role_name"],
        "RoleId": row["role_id"],
        "Arn": row["arn"],
        "CreateDate": _aws_time(row["create_date"]),
        "AssumeRolePolicyDocument": row["assume_role_policy_document"],
        "Description": row.get("description"),
        "MaxSessionDuration": row.get("max_session_duration"),
        "InstanceProfileList": [],
        "RolePolicyList": index.inline_list("role", row),
        "AttachedManagedPolicies": index.attached_list("role", row),
        "PermissionsBoundary": row.get("permissions_boundary"),
        "Tags": _tag_list(row.get("tags")),
        "RoleLastUsed": row.get("role_last_used") or {},
    }
    return _without_nones(entry, "Description", "MaxSessionDuration", "PermissionsBoundary")


def _version_entry(row: Row) -> dict[str, object]:
    """A version's document as the CLI prints it: an object, or the text when it is not JSON."""
    document = row["document_json"] if row["document_json"] is not None else row["document"]
    return {
        "Document": document,
        "VersionId": row["version_id"],
        "IsDefaultVersion": row["is_default_version"],
        "CreateDate": _aws_time(row["create_date"]),
    }


def _policy_detail(row: Row, index: _Index) -> dict[str, object]:
    versions = index.versions.get((row["account_id"], row["arn"]), [])
    entry = {
        "PolicyName": row["policy_name"],
        "PolicyId": row["policy_id"],
        "Arn": row["arn"],
        "Path": row["path"],
        "DefaultVersionId": row["default_version_id"],
        "AttachmentCount": row["attachment_count"],
        "PermissionsBoundaryUsageCount": row["permissions_boundary_usage_count"],
        "IsAttachable": row["is_attachable"],
        "Description": row.get("description"),
        "CreateDate": _aws_time(row["create_date"]),
        "UpdateDate": _aws_time(row["update_date"]),
        "PolicyVersionList": [_version_entry(v) for v in versions],
    }
    return _without_nones(entry, "Description")


def to_authorization_details(tables: Mapping[str, list[Row]]) -> dict[str, dict[str, object]]:
    """One `get-account-authorization-details` export per account of the generated rows.

    Each export lists the account's users, groups, roles and policies (the
    AWS-managed policies the generator copies into every account included).
    """
    index = _Index.of(dict(tables))
    lists = (
        ("UserDetailList", "aws_iam_users", _user_detail),
        ("GroupDetailList", "aws_iam_groups", _group_detail),
        ("RoleDetailList", "aws_iam_roles", _role_detail),
        ("Policies", "aws_iam_policies", _policy_detail),
    )
    exports: dict[str, dict[str, object]] = {}
    for key, table, build in lists:
        for row in tables.get(table, []):
            export = exports.setdefault(str(row["account_id"]), {k: [] for k, _, _ in lists})
            entries = export[key]
            assert isinstance(entries, list)
            entries.append(build(row, index))
    return dict(sorted(exports.items()))
