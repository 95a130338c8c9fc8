"""The AWS CLI export converter: authorization details and credential report -> CloudQuery rows."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from soc2_tools import rawdb
from soc2_tools.authz_export import (
    IMPORTED_TABLES,
    convert_credential_report,
    convert_export,
    convert_files,
    decode_policy_document,
    export_accounts,
    parse_timestamp,
)

REPO = Path(__file__).resolve().parents[2]
SOURCES_YML = REPO / "models/staging/aws/_soc2_aws__sources.yml"
EXAMPLE = Path(__file__).parent / "data" / "cloudsplaining-example-authz-details.json"
ACCOUNT = "012345678901"


def declared_columns() -> dict[str, set[str]]:
    document = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    source = next(s for s in document["sources"] if s["name"] == "cloudquery_aws")
    return {t["name"]: {c["name"] for c in t.get("columns", [])} for t in source["tables"]}


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tables(example: dict[str, Any]) -> dict[str, list[dict[str, object]]]:
    return convert_export(copy.deepcopy(example))


def only(rows: list[dict[str, object]], **where: object) -> dict[str, object]:
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": {
        "Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole",
    },
}


def small_export(account: str = "111111111111", document: object = DOC) -> dict[str, Any]:
    return {
        "UserDetailList": [
            {
                "UserName": "al+ice",
                "UserId": "AIDA1",
                "Arn": f"arn:aws:iam::{account}:user/al+ice",
                "Path": "/",
                "CreateDate": "2020-01-02T03:04:05Z",
                "GroupList": ["devs"],
                "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": document}],
                "Tags": [{"Key": "team", "Value": "core"}],
                "PermissionsBoundary": {
                    "PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": f"arn:aws:iam::{account}:policy/fence",
                },
                "SomethingNew": {"ignored": True},
            }
        ],
        "GroupDetailList": [
            {
                "GroupName": "devs",
                "GroupId": "AGPA1",
                "Arn": f"arn:aws:iam::{account}:group/eng/devs",
                "Path": "/eng/",
                "CreateDate": "2019-05-06 07:08:09+00:00",
            }
        ],
        "RoleDetailList": [
            {
                "RoleName": "app",
                "RoleId": "AROA1",
                "Arn": f"arn:aws:iam::{account}:role/app",
                "Path": "/",
                "CreateDate": "2021-01-01T00:00:00+02:00",
                "AssumeRolePolicyDocument": quote(json.dumps(TRUST)),
                "RolePolicyList": [{"PolicyName": "r", "PolicyDocument": document}],
                "AttachedManagedPolicies": [
                    {
                        "PolicyName": "ReadOnlyAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    }
                ],
                "RoleLastUsed": {
                    "LastUsedDate": "2024-03-04T05:06:07+00:00",
                    "Region": "eu-west-1",
                },
            }
        ],
        "Policies": [
            {
                "PolicyName": "ReadOnlyAccess",
                "PolicyId": "ANPAREADONLY",
                "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
                "Path": "/",
                "DefaultVersionId": "v2",
                "AttachmentCount": 1,
                "IsAttachable": True,
                "PolicyVersionList": [
                    {"Document": document, "VersionId": "v2", "IsDefaultVersion": True},
                    {"Document": DOC, "VersionId": "v1", "IsDefaultVersion": False},
                ],
            }
        ],
    }


# ---------------------------------------------------------------------------
# The Cloudsplaining example export


def test_example_counts(tables: dict[str, list[dict[str, object]]]) -> None:
    counts = {table: len(rows) for table, rows in tables.items()}
    assert counts == {
        "aws_iam_account_authorization_details": 1,
        "aws_iam_users": 3,
        "aws_iam_groups": 2,
        "aws_iam_user_groups": 3,
        "aws_iam_roles": 3,
        "aws_iam_policies": 32,
        "aws_iam_policy_versions": 33,
        "aws_iam_user_policies": 2,
        "aws_iam_group_policies": 1,
        "aws_iam_role_policies": 3,
        "aws_iam_user_attached_policies": 2,
        "aws_iam_group_attached_policies": 2,
        "aws_iam_role_attached_policies": 1,
        "aws_iam_instance_profiles": 1,
    }


def test_example_group_membership_resolves_the_group_arn(
    tables: dict[str, list[dict[str, object]]],
) -> None:
    obama = only(tables["aws_iam_users"], user_name="obama")
    membership = only(tables["aws_iam_user_groups"], user_arn=obama["arn"])
    assert membership["arn"] == f"arn:aws:iam::{ACCOUNT}:group/admin"
    assert membership["group_name"] == "admin"
    assert membership["group_id"] == "admin"
    assert membership["user_id"] == "obama"
    assert membership["account_id"] == ACCOUNT
    assert membership["create_date"] == datetime(2017, 5, 15, 17, 33, 36)
    assert membership["_cq_parent_id"] == obama["_cq_id"]


def test_example_rows_use_declared_columns(tables: dict[str, list[dict[str, object]]]) -> None:
    """Every declared column is produced (possibly null), and no other."""
    declared = declared_columns()
    assert set(tables) == set(IMPORTED_TABLES) - {"aws_iam_credential_reports"}
    for table, rows in tables.items():
        for row in rows:
            assert set(row) == declared[table], (table, set(row) ^ declared[table])


def test_export_accounts_are_read_from_the_arns(example: dict[str, Any]) -> None:
    assert export_accounts(example) == [ACCOUNT]
    two = small_export()
    two["UserDetailList"] += small_export("222222222222")["UserDetailList"]
    assert export_accounts(two) == ["111111111111", "222222222222"]
    managed_only = {"Policies": [p for p in example["Policies"] if ":aws:policy/" in p["Arn"]]}
    assert managed_only["Policies"]
    assert export_accounts(managed_only) == []
    with pytest.raises(ValueError, match="JSON object"):
        export_accounts([])


def test_columns_are_read_from_the_sources_yaml(monkeypatch) -> None:
    """A column declared in the YAML appears on every row without a change to the code."""
    real = rawdb.load_table_specs()
    extended = {**real, "aws_iam_users": [*real["aws_iam_users"], ("new_column", "text")]}
    monkeypatch.setattr(rawdb, "load_table_specs", lambda sources_yml=None: extended)
    (user,) = convert_export(small_export())["aws_iam_users"]
    assert "new_column" in user
    assert user["new_column"] is None
    assert list(user) == [name for name, _ in extended["aws_iam_users"]]


def test_example_authorization_details_hold_the_export_lists(
    example: dict[str, Any], tables: dict[str, list[dict[str, object]]]
) -> None:
    (row,) = tables["aws_iam_account_authorization_details"]
    assert row["account_id"] == ACCOUNT
    assert row["user_detail_list"] == example["UserDetailList"]
    assert row["group_detail_list"] == example["GroupDetailList"]
    assert row["role_detail_list"] == example["RoleDetailList"]
    assert row["policies"] == example["Policies"]


def test_example_policies_and_versions(tables: dict[str, list[dict[str, object]]]) -> None:
    policies = tables["aws_iam_policies"]
    assert {p["account_id"] for p in policies} == {ACCOUNT}  # AWS-managed ones too
    power = only(policies, policy_name="AWSCodeCommitPowerUser")
    assert power["arn"] == "arn:aws:iam::aws:policy/AWSCodeCommitPowerUser"
    assert power["default_version_id"] == "v11"
    assert power["is_attachable"] is True
    assert isinstance(power["attachment_count"], int)
    assert power["id"] == power["policy_id"]
    versions = [v for v in tables["aws_iam_policy_versions"] if v["policy_arn"] == power["arn"]]
    assert {v["version_id"]: v["is_default_version"] for v in versions} == {
        "v11": True,
        "v10": False,
    }
    for version in versions:
        assert version["_cq_parent_id"] == power["_cq_id"]
        assert isinstance(version["document_json"], dict)
        assert json.loads(str(version["document"])) == version["document_json"]
    assert sum(v["is_default_version"] is True for v in tables["aws_iam_policy_versions"]) == 32


def test_example_roles(tables: dict[str, list[dict[str, object]]]) -> None:
    role = only(tables["aws_iam_roles"], role_name="OverprivilegedEC2")
    assert isinstance(role["assume_role_policy_document"], dict)
    assert role["role_last_used"] == {"LastUsedDate": "2019-01-20T18:48:00Z", "Region": "us-east-1"}
    assert role["create_date"] == datetime(2018, 8, 20, 18, 48)
    assert role["permissions_boundary"] is None
    assert role["tags"] == {}
    profile = only(tables["aws_iam_instance_profiles"], instance_profile_name="OverprivilegedEC2")
    assert profile["arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/OverprivilegedEC2"
    assert [r["Arn"] for r in profile["roles"]] == [role["arn"]]  # type: ignore[union-attr]
    obama = f"arn:aws:iam::{ACCOUNT}:user/obama"
    attached = only(tables["aws_iam_user_attached_policies"], user_arn=obama)
    assert attached["policy_arn"] == "arn:aws:iam::aws:policy/AdministratorAccess"


def test_ids_are_unique_and_deterministic(example: dict[str, Any]) -> None:
    first = convert_export(copy.deepcopy(example))
    second = convert_export(copy.deepcopy(example))
    for table, rows in first.items():
        ids = [r["_cq_id"] for r in rows]
        assert all(isinstance(i, uuid.UUID) for i in ids)
        assert len(set(ids)) == len(ids), table
        assert ids == [r["_cq_id"] for r in second[table]]


def test_convert_files_reads_the_export(tmp_path: Path) -> None:
    export_path = tmp_path / "authz.json"
    export_path.write_text(json.dumps(small_export()), encoding="utf-8")
    report_path = tmp_path / "report.csv"
    report_path.write_text(REPORT, encoding="utf-8")
    tables = convert_files(export_path, report_path, synced_at=datetime(2024, 1, 1))
    assert len(tables["aws_iam_users"]) == 1
    assert len(tables["aws_iam_credential_reports"]) == 3
    assert tables["aws_iam_users"][0]["_cq_sync_time"] == datetime(2024, 1, 1)
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(ValueError, match="not JSON"):
        convert_files(tmp_path / "bad.json")


# ---------------------------------------------------------------------------
# Shapes


def test_url_encoded_documents_are_decoded() -> None:
    encoded = quote(json.dumps(DOC))
    tables = convert_export(small_export(document=encoded))
    assert tables["aws_iam_user_policies"][0]["policy_document"] == DOC
    assert tables["aws_iam_role_policies"][0]["policy_document"] == DOC
    assert tables["aws_iam_roles"][0]["assume_role_policy_document"] == TRUST
    default = only(tables["aws_iam_policy_versions"], version_id="v2")
    assert default["document_json"] == DOC
    assert default["document"] == json.dumps(DOC)  # the decoded text, not the encoded one


def test_undecodable_document_is_kept_not_dropped() -> None:
    tables = convert_export(small_export(document="%7Bnot%20json"))
    inline = tables["aws_iam_user_policies"][0]["policy_document"]
    assert json.loads(str(inline)) == "{not json"  # a JSON string, reported downstream
    default = only(tables["aws_iam_policy_versions"], version_id="v2")
    assert default["document_json"] is None
    assert default["document"] == "{not json"


def test_decode_policy_document() -> None:
    assert decode_policy_document(DOC) is DOC
    assert decode_policy_document(quote(json.dumps(DOC))) == DOC
    assert decode_policy_document(json.dumps(DOC)) == DOC
    assert decode_policy_document(None) is None


def test_small_export_values() -> None:
    tables = convert_export(small_export())
    user = tables["aws_iam_users"][0]
    assert user["account_id"] == "111111111111"
    assert user["tags"] == {"team": "core"}
    assert user["create_date"] == datetime(2020, 1, 2, 3, 4, 5)
    assert user["permissions_boundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": "arn:aws:iam::111111111111:policy/fence",
    }
    membership = tables["aws_iam_user_groups"][0]
    assert membership["arn"] == "arn:aws:iam::111111111111:group/eng/devs"
    assert membership["path"] == "/eng/"
    role = tables["aws_iam_roles"][0]
    assert role["create_date"] == datetime(2020, 12, 31, 22, 0, 0)
    assert role["role_last_used"] == {"LastUsedDate": "2024-03-04T05:06:07Z", "Region": "eu-west-1"}
    (policy,) = tables["aws_iam_policies"]
    assert policy["account_id"] == "111111111111"
    assert tables["aws_iam_instance_profiles"] == []
    assert tables["aws_iam_users"][0]["_cq_source_name"] is None  # left to the writer


def test_group_missing_from_group_detail_list_is_kept_with_null_arn() -> None:
    export = small_export()
    export["UserDetailList"][0]["GroupList"] = ["devs", "ghosts"]
    rows = convert_export(export)["aws_iam_user_groups"]
    assert {r["group_name"]: r["arn"] for r in rows} == {
        "devs": "arn:aws:iam::111111111111:group/eng/devs",
        "ghosts": None,
    }


def test_instance_profile_shared_by_roles_is_emitted_once() -> None:
    export = small_export()
    profile = {
        "InstanceProfileName": "web",
        "InstanceProfileId": "AIPA1",
        "Arn": "arn:aws:iam::111111111111:instance-profile/web",
        "Path": "/",
        "CreateDate": "2020-01-01T00:00:00Z",
        "Roles": [],
    }
    second = copy.deepcopy(export["RoleDetailList"][0])
    second.update(RoleName="app2", RoleId="AROA2", Arn="arn:aws:iam::111111111111:role/app2")
    export["RoleDetailList"].append(second)
    for role in export["RoleDetailList"]:
        role["InstanceProfileList"] = [profile]
    (row,) = convert_export(export)["aws_iam_instance_profiles"]
    assert row["id"] == row["instance_profile_id"] == "AIPA1"


def test_missing_lists_are_empty_tables() -> None:
    tables = convert_export({})
    assert set(tables) == set(IMPORTED_TABLES) - {"aws_iam_credential_reports"}
    assert all(rows == [] for rows in tables.values())
    only_users = small_export()
    del only_users["Policies"], only_users["RoleDetailList"], only_users["GroupDetailList"]
    tables = convert_export(only_users)
    assert len(tables["aws_iam_users"]) == 1
    assert tables["aws_iam_user_groups"][0]["arn"] is None


def test_several_accounts() -> None:
    first, second = small_export("111111111111"), small_export("222222222222")
    export = {key: first[key] + second[key] for key in first}
    export["Policies"] = first["Policies"]  # the AWS-managed policy, listed once
    tables = convert_export(export)
    details = {r["account_id"]: r for r in tables["aws_iam_account_authorization_details"]}
    assert sorted(details) == ["111111111111", "222222222222"]
    assert details["222222222222"]["user_detail_list"] == second["UserDetailList"]
    assert details["222222222222"]["policies"] == first["Policies"]
    policies = tables["aws_iam_policies"]
    assert sorted(p["account_id"] for p in policies) == ["111111111111", "222222222222"]
    assert len({p["_cq_id"] for p in policies}) == 2
    assert len(tables["aws_iam_policy_versions"]) == 4
    memberships = {(r["account_id"], r["arn"]) for r in tables["aws_iam_user_groups"]}
    assert memberships == {
        ("111111111111", "arn:aws:iam::111111111111:group/eng/devs"),
        ("222222222222", "arn:aws:iam::222222222222:group/eng/devs"),
    }


def test_export_with_only_aws_managed_policies_needs_an_account() -> None:
    export = {"Policies": small_export()["Policies"]}
    with pytest.raises(ValueError, match="account_id"):
        convert_export(export)
    tables = convert_export(export, account_id="333333333333")
    assert tables["aws_iam_policies"][0]["account_id"] == "333333333333"


@pytest.mark.parametrize(
    ("export", "message"),
    [
        ([], "must be a JSON object"),
        ("UserDetailList", "must be a JSON object"),
        ({"UserDetailList": {}}, "UserDetailList must be a list"),
        ({"Policies": "x"}, "Policies must be a list"),
        ({"RoleDetailList": [1]}, r"RoleDetailList\[0\] must be an object"),
        ({"GroupDetailList": [{"GroupName": "g"}]}, r"GroupDetailList\[0\]\.Arn"),
        ({"UserDetailList": [{"Arn": "not-an-arn"}]}, r"UserDetailList\[0\]\.Arn"),
    ],
)
def test_malformed_export_raises(export: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        convert_export(export)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["UserDetailList"][0].update(GroupList="devs"), "GroupList"),
        (lambda e: e["UserDetailList"][0].update(UserPolicyList={}), "UserPolicyList"),
        (lambda e: e["Policies"][0].update(PolicyVersionList=[None]), "PolicyVersionList"),
        (lambda e: e["UserDetailList"][0].update(CreateDate="yesterday"), "CreateDate"),
        (lambda e: e["Policies"][0].update(IsAttachable="maybe"), "IsAttachable"),
    ],
)
def test_malformed_nested_value_raises_naming_it(change: Any, message: str) -> None:
    export = small_export()
    change(export)
    with pytest.raises(ValueError, match=message):
        convert_export(export)


@pytest.mark.parametrize(
    "text",
    ["2019-12-18 19:10:08+00:00", "2019-12-18T19:10:08Z", "2019-12-18T21:10:08+02:00"],
)
def test_timestamps_become_naive_utc(text: str) -> None:
    assert parse_timestamp(text, "x") == datetime(2019, 12, 18, 19, 10, 8)


# ---------------------------------------------------------------------------
# Credential report

REPORT = """\
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,\
password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,\
access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,\
access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,\
access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,\
cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111111111111:root,2019-01-01T00:00:00+00:00,not_supported,\
2024-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,\
N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::111111111111:user/alice,2020-02-03T04:05:06+00:00,true,no_information,\
2023-01-01T00:00:00+00:00,N/A,false,true,2023-06-01T00:00:00+00:00,\
2024-06-01T12:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,true,\
2022-01-01T00:00:00+00:00,false,N/A
bob,arn:aws:iam::111111111111:user/bob,2021-02-03T04:05:06Z,false,N/A,N/A,N/A,FALSE,\
false,N/A,N/A,N/A,N/A,true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A
"""


def test_credential_report_rows() -> None:
    rows = convert_export(small_export(), REPORT)["aws_iam_credential_reports"]
    declared = declared_columns()["aws_iam_credential_reports"]
    assert all(set(r) <= declared for r in rows)
    root, alice, bob = rows
    assert root["user"] == "<root_account>"
    assert root["password_enabled"] == "not_supported"
    assert root["password_last_changed"] is None
    assert root["password_last_used"] == datetime(2024, 5, 1, 10)
    assert root["mfa_active"] is True
    assert root["access_key1_active"] is False
    assert root["access_key_1_last_rotated"] is None
    assert alice["password_enabled"] == "true"
    assert alice["password_last_used"] is None  # no_information
    assert alice["access_key1_active"] is True
    assert alice["access_key_1_last_used_date"] == datetime(2024, 6, 1, 12)
    assert alice["access_key1_last_used_region"] == "eu-west-1"
    assert alice["access_key1_last_used_service"] == "s3"
    assert alice["access_key2_last_used_region"] is None
    assert alice["cert1_active"] is True
    assert alice["cert_1_last_rotated"] == datetime(2022, 1, 1)
    assert alice["password_status"] is None
    assert bob["mfa_active"] is False
    assert bob["access_key2_active"] is True
    assert bob["user_creation_time"] == datetime(2021, 2, 3, 4, 5, 6)
    assert "account_id" not in bob and "access_key_1_active" not in bob


def test_credential_report_errors() -> None:
    with pytest.raises(ValueError, match="arn"):
        convert_credential_report("user,password_enabled\nalice,true\n")
    bad = REPORT.replace("true,false,N/A,N/A,N/A,N/A,false", "yes,false,N/A,N/A,N/A,N/A,false", 1)
    with pytest.raises(ValueError, match="line 2, mfa_active"):
        convert_credential_report(bad)


def test_credential_report_absent_unless_given() -> None:
    assert "aws_iam_credential_reports" not in convert_export(small_export())
    assert convert_export(small_export(), "user,arn\n")["aws_iam_credential_reports"] == []
