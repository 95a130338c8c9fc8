"""Account-wide IAM settings: the password policy and the account summary.

Fills `aws_iam_password_policies` and `aws_iam_accounts`. The password
policy follows the account plan: strong, absent, or weak in one to three
ways at once (short minimum length, little or no reuse prevention, no or a
one-year expiry, symbols or capitals not required), because weak policies in
practice are defaults someone loosened, rarely only one setting. The summary
counts what the other IAM steps made and reports root MFA and root keys.
"""

from __future__ import annotations

from soc2_tools.generator.organisation import Account, Organisation
from soc2_tools.generator.records import Row, cq_id

PASSWORD_BOOLEANS = (
    "allow_users_to_change_password",
    "expire_passwords",
    "require_lowercase_characters",
    "require_numbers",
    "require_symbols",
    "require_uppercase_characters",
)
WEAKNESSES: dict[str, Row] = {
    "short": {"minimum_password_length": 8},
    "no_reuse": {"password_reuse_prevention": None},
    "few_reuse": {"password_reuse_prevention": 5},
    "no_expiry": {"max_password_age": None, "expire_passwords": False},
    "long_expiry": {"max_password_age": 365},
    "no_symbols": {"require_symbols": False},
    "no_upper": {"require_uppercase_characters": False},
}


def password_policy(org: Organisation, account: Account) -> None:
    """The account's password policy row; remembers the maximum age for password rotation."""
    row: Row = {
        "_cq_id": cq_id("aws_iam_password_policies", account.account_id),
        "account_id": account.account_id,
        "policy_exists": account.plan.password_policy != "absent",
    }
    if account.plan.password_policy == "absent":
        row.update(dict.fromkeys(PASSWORD_BOOLEANS, False))
    else:
        row.update(_password_settings(org, account.plan.password_policy == "strong"))
        max_age = row["max_password_age"]
        account.max_password_age = max_age if isinstance(max_age, int) else None
    org.add("aws_iam_password_policies", row)


def _password_settings(org: Organisation, strong: bool) -> Row:
    rng = org.rng
    settings: Row = {
        "allow_users_to_change_password": True,
        "expire_passwords": True,
        "hard_expiry": False,
        "max_password_age": rng.choice((60, 90)),
        "minimum_password_length": rng.choice((14, 16, 20)),
        "password_reuse_prevention": 24,
        "require_lowercase_characters": True,
        "require_numbers": True,
        "require_symbols": True,
        "require_uppercase_characters": True,
    }
    if strong:
        return settings
    weaknesses = rng.sample(list(WEAKNESSES), k=rng.randint(1, 3))
    for weakness in weaknesses:
        settings.update(WEAKNESSES[weakness])
    return settings


def account_summary(org: Organisation, account: Account) -> None:
    """The `aws_iam_accounts` row, once the account's IAM entities exist."""
    policies = [*account.managed.values(), *account.customer]
    in_use = sum(1 for policy in policies if policy.row["attachment_count"])
    org.add(
        "aws_iam_accounts",
        {
            "_cq_id": cq_id("aws_iam_accounts", account.account_id),
            "account_id": account.account_id,
            "users": len(account.users),
            "users_quota": 5000,
            "groups": len(account.groups),
            "groups_quota": 300,
            "server_certificates": 0,
            "server_certificates_quota": 20,
            "user_policy_size_quota": 2048,
            "group_policy_size_quota": 5120,
            "groups_per_user_quota": 10,
            "signing_certificates_per_user_quota": 2,
            "access_keys_per_user_quota": 2,
            "mfa_devices": account.mfa_devices,
            "mfa_devices_in_use": account.mfa_devices,
            "account_mfa_enabled": account.plan.root_mfa,
            "account_access_keys_present": account.plan.root_key,
            "account_signing_certificates_present": False,
            "attached_policies_per_group_quota": 10,
            "attached_policies_per_role_quota": 10,
            "attached_policies_per_user_quota": 10,
            "policies": len(account.customer),
            "policies_quota": 1500,
            "policy_size_quota": 6144,
            "policy_versions_in_use": in_use,
            "policy_versions_in_use_quota": 10000,
            "versions_per_policy_quota": 5,
            "global_endpoint_token_version": 1,
            "aliases": [account.alias],
        },
    )
