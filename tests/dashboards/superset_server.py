"""A throwaway Apache Superset for the dashboard test: from .venv-superset, with a SQLite
metadata database and a config file in a temporary folder, served by gunicorn on a free
local port. `start()` fails with the tail of Superset's output when it does not come up.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from soc2_tools import warehouse

ROOT = warehouse.repository_root()
SUPERSET_VENV = ROOT / ".venv-superset"
STARTUP_SECONDS = 180
ADMIN_USER = "admin"


class SupersetStartError(RuntimeError):
    """Superset could not be set up or did not answer; the message holds its output."""


def venv_bin(name: str) -> Path:
    """An executable of .venv-superset; SupersetStartError when it is not installed."""
    path = SUPERSET_VENV / "bin" / name
    if not path.exists():
        raise SupersetStartError(
            f"{path} is missing: Superset is installed by `make dashboard` "
            "(from requirements/superset.txt)"
        )
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tail(path: Path, lines: int = 60) -> str:
    if not path.exists():
        return "(no output)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class SupersetServer:
    home: Path
    port: int
    admin_password: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.home / "superset.log"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env.update(
            SUPERSET_CONFIG_PATH=str(self.home / "superset_config.py"),
            SUPERSET_HOME=str(self.home),
            FLASK_APP="superset",
        )
        return env

    def write_config(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        config = (
            f"SECRET_KEY = {secrets.token_urlsafe(42)!r}\n"
            f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{self.home / 'superset.db'}'\n"
            "WTF_CSRF_ENABLED = True\n"
            "FEATURE_FLAGS = {}\n"
            "SUPERSET_LOAD_EXAMPLES = False\n"
        )
        (self.home / "superset_config.py").write_text(config)

    def superset(self, *arguments: str, what: str) -> None:
        """One `superset` CLI command, its output appended to the log."""
        started = time.monotonic()
        with self.log.open("ab") as log:
            result = subprocess.run(
                [str(venv_bin("superset")), *arguments],
                cwd=self.home,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if result.returncode != 0:
            raise SupersetStartError(
                f"`superset {' '.join(arguments[:2])}` failed (exit {result.returncode}):\n"
                + tail(self.log)
            )
        print(f"      superset: {what} ({time.monotonic() - started:.0f} s)", flush=True)

    def start(self) -> None:
        """Set up the metadata database and the admin, then serve and wait for /health."""
        self.write_config()
        self.superset("db", "upgrade", what="metadata database created")
        self.superset(
            "fab", "create-admin", "--username", ADMIN_USER, "--firstname", "soc2",
            "--lastname", "test", "--email", "admin@example.invalid",
            "--password", self.admin_password,
            what="admin user created",
        )  # fmt: skip
        self.superset("init", what="roles and permissions initialised")
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                str(venv_bin("gunicorn")), "--workers", "2", "--threads", "4",
                "--timeout", "180", "--bind", f"127.0.0.1:{self.port}",
                "superset.app:create_app()",
            ],
            cwd=self.home,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        self.wait_healthy()

    def wait_healthy(self) -> None:
        import requests

        started = time.monotonic()
        while time.monotonic() - started < STARTUP_SECONDS:
            if self.process is not None and self.process.poll() is not None:
                raise SupersetStartError(
                    f"Superset's web server exited (code {self.process.returncode}):\n"
                    + tail(self.log)
                )
            try:
                if requests.get(f"{self.url}/health", timeout=5).text.strip() == "OK":
                    print(
                        f"      superset: serving {self.url} ({time.monotonic() - started:.0f} s)",
                        flush=True,
                    )
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SupersetStartError(
            f"Superset did not answer {self.url}/health in {STARTUP_SECONDS} s:\n" + tail(self.log)
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
