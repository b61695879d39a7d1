"""The production path, run as an operator would: `consejo` in subprocesses, on files and
scratch PostgreSQL databases, with gunicorn serving (docs/deploy.md)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CONSEJO = [sys.executable, "-m", "consejo.cli"]
PASSPHRASE = "a long passphrase for tests only"


def consejo(
    env: dict[str, str], *args: str, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command
        [*CONSEJO, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def environment(var_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("CONSEJO_")
    }
    return {
        **base,
        "DATABASE_URL": database_url,
        "CONSEJO_HTTPS": "false",
        "CONSEJO_VAR_DIR": str(var_dir),
        "SECRET_KEY": "production-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the migrated demo (built once: the demo takes some seconds)."""
    root = tmp_path_factory.mktemp("demo")
    path = root / "demo.sqlite3"
    env = environment(root / "var", f"sqlite:///{path}")
    for step in (["migrate", "-v0"], ["demo"]):
        done = consejo(env, *step)
        assert done.returncode == 0, done.stderr
    return path


class Server:
    def __init__(self, url: str, process: subprocess.Popen[bytes], env: dict[str, str]) -> None:
        self.url, self.process, self.env = url, process, env

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def serve(env: dict[str, str], *, workers: int = 2) -> Server:
    """`consejo serve` on a free port, once it answers /healthz."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command
        [*CONSEJO, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1).close()  # noqa: S310
            return Server(url, process, env)
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"consejo serve exited with {process.returncode}") from None
            time.sleep(0.1)
    process.kill()
    raise AssertionError("consejo serve did not answer /healthz")


@pytest.fixture(scope="session")
def production_server(
    demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The demo served as docs/deploy.md serves it: collected static files, gunicorn workers."""
    root = tmp_path_factory.mktemp("server")
    path = root / "consejo.sqlite3"
    sqlite_copy(demo_sqlite, path)
    env = environment(root / "var", f"sqlite:///{path}")
    done = consejo(env, "collectstatic", "--noinput", "-v0")
    assert done.returncode == 0, done.stderr
    server = serve(env)
    yield server
    server.stop()


@pytest.fixture
def scratch_postgres() -> Iterator[Callable[[str], str]]:
    """New, empty PostgreSQL databases by name, dropped afterwards."""
    import psycopg

    from tests.settings import POSTGRES_URL

    admin = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    made: list[str] = []

    def make(suffix: str) -> str:
        name = f"consejo_backup_{os.getpid()}_{suffix}"
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"

    yield make
    with psycopg.connect(admin, autocommit=True) as db:
        for name in made:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def have_chromium() -> bool:
    return Path("/usr/bin/chromium").exists() or shutil.which("chromium") is not None
