"""`soc2 superset-import`: import the package's Superset dashboard into a running Superset.

The bundle in dashboards/superset/ is Superset's export layout (metadata.yaml, databases/,
datasets/, charts/, dashboards/) with a placeholder database URI and marts schema. This
command reads it, points it at the user's warehouse (the SQLAlchemy URI, the marts schema
and the database name shown in Superset), zips it and posts it to Superset's import API.
Only the standard library, PyYAML and requests (installed with dbt) are used.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import yaml

from soc2_tools import warehouse

# What the bundle's files hold in place of the user's own names.
SCHEMA_PLACEHOLDER = "SOC2_MARTS_SCHEMA"
DEFAULT_DATABASE_NAME = "soc2 marts"
# Superset's mask for a password left out of an exported URI.
PASSWORD_MASK = "XXXXXXXXXX"
# The folder inside the zip; Superset drops the first path component.
ZIP_ROOT = "soc2_superset_bundle"
DASHBOARD_SLUG = "soc2-compliance"
TIMEOUT_SECONDS = 120

# Import endpoints in the order --overwrite uses them, with the metadata type each accepts.
# The dashboard import alone creates what is missing but never replaces a database,
# dataset or chart that exists; the others, with overwrite=true, replace them.
OVERWRITE_STEPS = (
    ("database", "Database"),
    ("dataset", "SqlaTable"),
    ("chart", "Slice"),
    ("dashboard", "Dashboard"),
)

Bundle = dict[str, dict[str, Any]]


class SupersetError(RuntimeError):
    """Superset cannot be reached, refused the login or rejected the import; the message
    says which and why."""


def bundle_directory() -> Path:
    """dashboards/superset/ of the repository."""
    return warehouse.repository_root() / "dashboards" / "superset"


def load_bundle(directory: Path) -> Bundle:
    """Every YAML file of the bundle, by its path relative to `directory`."""
    if not (directory / "metadata.yaml").is_file():
        raise SupersetError(
            f"no Superset bundle in {directory} (metadata.yaml is missing); run the command "
            "from a checkout of the soc2 package or pass --bundle"
        )
    files: Bundle = {}
    for path in sorted(directory.rglob("*.yaml")):
        relative = path.relative_to(directory).as_posix()
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict):
            raise SupersetError(f"{path} is not a YAML mapping")
        files[relative] = content
    return files


@dataclass(frozen=True)
class Target:
    """Where the dashboard reads: the warehouse's SQLAlchemy URI, the marts schema and the
    name of the database connection in Superset."""

    database_uri: str
    schema: str
    database_name: str = DEFAULT_DATABASE_NAME


def split_password(uri: str) -> tuple[str, str | None]:
    """The URI with its password replaced by Superset's mask, and the password (None when
    the URI has none)."""
    parts = urlsplit(uri)
    if not parts.scheme or "://" not in uri:
        raise SupersetError(
            f"--database-uri is not a SQLAlchemy URI: {uri!r} (expected e.g. "
            "postgresql://user:password@host:5432/database)"
        )
    userinfo, at, hostinfo = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return uri, None
    user, _, password = userinfo.partition(":")
    masked = parts._replace(netloc=f"{user}:{PASSWORD_MASK}@{hostinfo}")
    return urlunsplit(masked), unquote(password)


def quote_schema(schema: str) -> str:
    """The schema as a double-quoted SQL identifier, for the virtual datasets' SQL."""
    return '"' + schema.replace('"', '""') + '"'


def rewrite_bundle(files: Mapping[str, Mapping[str, Any]], target: Target) -> Bundle:
    """A copy of the bundle pointed at `target`: every database's URI (password masked)
    and name, every dataset's schema and the schema in the virtual datasets' SQL."""
    if not target.schema:
        raise SupersetError("--schema must name the marts schema")
    masked_uri, _ = split_password(target.database_uri)
    rewritten: Bundle = {}
    for name, content in files.items():
        document = json.loads(json.dumps(content))  # a deep copy of plain YAML data
        if name.startswith("databases/"):
            document["sqlalchemy_uri"] = masked_uri
            document["database_name"] = target.database_name
        elif name.startswith("datasets/"):
            document["schema"] = target.schema
            if document.get("sql"):
                document["sql"] = document["sql"].replace(
                    SCHEMA_PLACEHOLDER, quote_schema(target.schema)
                )
        rewritten[name] = document
    return rewritten


def passwords(files: Mapping[str, Any], target: Target) -> dict[str, str]:
    """The `passwords` form field of the import: the URI's password for every database
    file, or nothing when the URI has none."""
    _, password = split_password(target.database_uri)
    if password is None:
        return {}
    return {
        f"databases/{Path(name).name}": password for name in files if name.startswith("databases/")
    }


def zip_bundle(files: Mapping[str, Mapping[str, Any]], metadata_type: str = "Dashboard") -> bytes:
    """The bundle as a zip under one root folder, as Superset exports it; metadata.yaml
    declares `metadata_type` (each import endpoint accepts one type)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            document = dict(content)
            if name == "metadata.yaml":
                document["type"] = metadata_type
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
            archive.writestr(f"{ZIP_ROOT}/{name}", text)
    return buffer.getvalue()


def dashboard_slug(files: Mapping[str, Mapping[str, Any]]) -> str:
    """The slug of the bundle's one dashboard."""
    slugs = [c.get("slug") for n, c in files.items() if n.startswith("dashboards/")]
    if len(slugs) != 1 or not slugs[0]:
        raise SupersetError(f"the bundle must hold one dashboard with a slug, found {slugs}")
    return str(slugs[0])


# --- Superset's API ------------------------------------------------------------------------------


def error_message(response: Any) -> str:
    """Superset's own words from an error response: `message`, or each error's message and
    details."""
    try:
        body = response.json()
    except ValueError:
        title = re.search(r"<title>(.*?)</title>", response.text, re.IGNORECASE | re.DOTALL)
        if title:
            return f"{title.group(1).strip()} (an HTML page; Superset's log says more)"
        return response.text.strip()[:2000] or str(response.reason)
    if isinstance(body, dict) and body.get("errors"):
        lines = []
        for error in body["errors"]:
            lines.append(str(error.get("message", error)))
            extra = error.get("extra") or {}
            for key, value in extra.items():
                if key not in ("issue_codes",):
                    lines.append(f"  {key}: {json.dumps(value)}")
        return "\n".join(lines)
    if isinstance(body, dict) and "message" in body:
        return (
            json.dumps(body["message"]) if not isinstance(body["message"], str) else body["message"]
        )
    return json.dumps(body)[:2000]


class SupersetClient:
    """A logged-in session on Superset's REST API (JWT and CSRF token)."""

    def __init__(self, url: str) -> None:
        import requests

        self.url = url.rstrip("/")
        self.session = requests.Session()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        import requests

        try:
            return self.session.request(method, self.url + path, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.ConnectionError as error:
            raise SupersetError(
                f"Superset at {self.url} is unreachable ({type(error).__name__}); is it "
                "running? (README, section Superset)"
            ) from error
        except requests.Timeout as error:
            raise SupersetError(f"Superset at {self.url} did not answer {path}") from error

    def login(self, username: str, password: str) -> None:
        """Log in with a database user (provider db) and fetch the CSRF token."""
        response = self._request(
            "POST",
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": True},
        )
        if response.status_code in (400, 401, 403):
            raise SupersetError(
                f"Superset at {self.url} refused the login of {username!r} "
                f"(HTTP {response.status_code}: {error_message(response)}); check --username "
                "and --password (or SUPERSET_USERNAME, SUPERSET_PASSWORD)"
            )
        self._check(response, "log in")
        token = response.json().get("access_token")
        if not token:
            raise SupersetError(f"Superset at {self.url} answered the login without a token")
        self.session.headers["Authorization"] = f"Bearer {token}"
        response = self._request("GET", "/api/v1/security/csrf_token/")
        self._check(response, "fetch a CSRF token")
        self.session.headers["X-CSRFToken"] = response.json()["result"]
        self.session.headers["Referer"] = self.url

    def _check(self, response: Any, what: str) -> None:
        if response.status_code >= 400:
            raise SupersetError(
                f"Superset at {self.url} failed to {what} (HTTP {response.status_code}): "
                f"{error_message(response)}"
            )
        content_type = response.headers.get("Content-Type", "")
        if "json" not in content_type:
            raise SupersetError(
                f"{self.url} did not answer as Superset's API does when asked to {what} "
                f"(HTTP {response.status_code}, {content_type or 'no content type'}); is --url "
                "Superset's address?"
            )

    def import_zip(
        self, kind: str, archive: bytes, *, overwrite: bool, passwords: Mapping[str, str]
    ) -> None:
        """POST a bundle to /api/v1/<kind>/import/; SupersetError with Superset's message
        when it rejects it."""
        data = {"overwrite": "true" if overwrite else "false"}
        if passwords:
            data["passwords"] = json.dumps(dict(passwords))
        response = self._request(
            "POST",
            f"/api/v1/{kind}/import/",
            files={"formData": ("soc2_superset_bundle.zip", archive, "application/zip")},
            data=data,
        )
        if response.status_code >= 400:
            raise SupersetError(
                f"Superset rejected the {kind} import (HTTP {response.status_code}):\n"
                f"{error_message(response)}"
            )
        self._check(response, f"import the {kind} bundle")

    def exists(self, path: str) -> bool:
        """Whether a GET of an API path finds something (HTTP 200, not 404)."""
        response = self._request("GET", path)
        if response.status_code == 404:
            return False
        self._check(response, f"GET {path}")
        return True

    def get(self, path: str, **kwargs: Any) -> Any:
        """GET an API path; SupersetError unless it succeeds. The decoded JSON."""
        response = self._request("GET", path, **kwargs)
        self._check(response, f"GET {path}")
        return response.json()


@dataclass(frozen=True)
class Imported:
    """What an import left in Superset: the dashboard's id and its address."""

    dashboard_id: int
    dashboard_url: str


def import_dashboard(
    client: SupersetClient,
    files: Mapping[str, Mapping[str, Any]],
    target: Target,
    *,
    overwrite: bool,
) -> Imported:
    """Rewrite the bundle for `target` and import it through a logged-in client."""
    rewritten = rewrite_bundle(files, target)
    secrets = passwords(rewritten, target)
    slug = dashboard_slug(rewritten)
    if not overwrite and client.exists(f"/api/v1/dashboard/{slug}"):
        raise SupersetError(
            f"Superset already has the dashboard {slug!r} (an earlier import): add --overwrite "
            "to replace it, its charts, datasets and database connection"
        )
    steps = OVERWRITE_STEPS if overwrite else (("dashboard", "Dashboard"),)
    for kind, metadata_type in steps:
        client.import_zip(
            kind, zip_bundle(rewritten, metadata_type), overwrite=overwrite, passwords=secrets
        )
    result = client.get(f"/api/v1/dashboard/{slug}")["result"]
    return Imported(int(result["id"]), f"{client.url}/superset/dashboard/{slug}/")


# --- the command ---------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url", default="http://localhost:8088", help="Superset's address (default %(default)s)"
    )
    parser.add_argument(
        "--username",
        default=os.environ.get("SUPERSET_USERNAME", "admin"),
        help="a Superset user allowed to import (default: SUPERSET_USERNAME, else admin)",
    )
    parser.add_argument(
        "--password",
        default=os.environ.get("SUPERSET_PASSWORD", "admin"),
        help="its password (default: SUPERSET_PASSWORD, else admin)",
    )
    parser.add_argument(
        "--database-uri",
        required=True,
        help="SQLAlchemy URI Superset connects to the warehouse with, e.g. "
        "postgresql://soc2_bi:secret@db.example.com:5432/analytics",
    )
    parser.add_argument(
        "--schema",
        required=True,
        help="the schema of the package's marts, e.g. analytics_soc2_marts",
    )
    parser.add_argument(
        "--database-name",
        default=DEFAULT_DATABASE_NAME,
        help="the name of the database connection shown in Superset (default %(default)r)",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the database connection, datasets, charts and dashboard of an earlier import",
    )
    parser.add_argument(
        "--bundle",
        type=Path,
        default=None,
        help="the bundle's folder (default: dashboards/superset of this checkout)",
    )


def run(args: argparse.Namespace) -> int:
    target = Target(args.database_uri, args.schema, args.database_name)
    try:
        files = load_bundle(args.bundle or bundle_directory())
        rewrite_bundle(files, target)  # bad input fails before Superset is contacted
        client = SupersetClient(args.url)
        print(f"soc2 superset-import: logging in to {client.url} as {args.username} ...")
        client.login(args.username, args.password)
        masked, _ = split_password(target.database_uri)
        print(
            f"soc2 superset-import: importing the dashboard (database {target.database_name!r}"
            f" at {masked}, schema {target.schema}) ..."
        )
        imported = import_dashboard(client, files, target, overwrite=args.overwrite)
    except (SupersetError, FileNotFoundError) as error:
        print(f"soc2 superset-import: {error}")
        return 1
    print(f"Imported. Open the dashboard: {imported.dashboard_url}")
    return 0


__all__ = [
    "Imported",
    "SupersetClient",
    "SupersetError",
    "Target",
    "import_dashboard",
    "load_bundle",
    "rewrite_bundle",
    "zip_bundle",
]
