"""No acknowledged write is lost: a server killed with SIGKILL under load keeps every write it
acknowledged, and its ledger still verifies (DESIGN.md, "Promises").

The server is the production one (`consejo serve`: gunicorn with worker processes), and the kill
takes its whole process group, master and workers, mid-request."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CONSEJO = [sys.executable, "-m", "consejo.cli"]
WRITERS = 4
SERVER_WORKERS = 2
LOAD_SECONDS = 2.5

SETUP = """
from django.contrib.auth.models import User
from consejo.bodies import services
from consejo.bodies.services import api_token_issue
op = User.objects.create_superuser("op", password="op-pass-crash-1")
services.body_create(actor=op, name="Planta", slug="planta", kind="workplace")
print(api_token_issue(user=op, name="load"))
"""

CHECK = """
import json, os
from consejo.bodies.models import Member
names = set(Member.objects.values_list("name", flat=True))
acknowledged = json.load(open(os.environ["CONSEJO_ACKNOWLEDGED"]))
print(json.dumps(sorted(set(acknowledged) - names)))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def consejo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command
        [*CONSEJO, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return {
        **base,
        "DATABASE_URL": database_url,
        "CONSEJO_HTTPS": "false",
        "CONSEJO_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "crash-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    }


def load_then_kill(env: dict[str, str], tmp_path: Path) -> tuple[list[str], int]:
    """Serve, write from several threads, SIGKILL the server mid-load; return what was
    acknowledged (HTTP 201) and how many requests failed when the server died."""
    assert consejo(env, "migrate", "-v0").returncode == 0
    setup = consejo(env, "shell", "-c", SETUP)
    assert setup.returncode == 0, setup.stderr
    token = setup.stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            *CONSEJO,
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(SERVER_WORKERS),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        software = ""
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as up:
                    software = up.headers.get("Server", "")
                break
            except OSError:
                time.sleep(0.1)
        assert software.startswith("gunicorn"), f"not the production server: {software!r}"
        acknowledged: list[str] = []
        failures = [0]
        lock = threading.Lock()
        stop = threading.Event()

        def writer(index: int) -> None:
            n = 0
            while not stop.is_set():
                n += 1
                name = f"Obrera {index}-{n}"
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/bodies/planta/members",
                    data=json.dumps({"name": name, "sector": "worker"}).encode(),
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                        if response.status == 201:
                            with lock:
                                acknowledged.append(name)
                except (urllib.error.URLError, OSError):
                    with lock:
                        failures[0] += 1
                    if stop.is_set():
                        return
                    time.sleep(0.05)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(LOAD_SECONDS)
        # Mid-request, master and workers at once: no shutdown, no flush.
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        return acknowledged, failures[0]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def check_nothing_acknowledged_was_lost(
    env: dict[str, str], tmp_path: Path, acknowledged: list[str]
) -> None:
    assert len(acknowledged) > 20, "the load never got going"
    listing = tmp_path / "acknowledged.json"
    listing.write_text(json.dumps(acknowledged))
    lost = consejo({**env, "CONSEJO_ACKNOWLEDGED": str(listing)}, "shell", "-c", CHECK)
    assert lost.returncode == 0, lost.stderr
    assert json.loads(lost.stdout.strip().splitlines()[-1]) == []
    verify = consejo(env, "ledger", "verify")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("ok ")


def test_sqlite_keeps_every_acknowledged_write_after_sigkill(tmp_path: Path) -> None:
    env = environment(tmp_path, f"sqlite:///{tmp_path / 'crash.sqlite3'}")
    acknowledged, _failures = load_then_kill(env, tmp_path)
    check_nothing_acknowledged_was_lost(env, tmp_path, acknowledged)


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    import psycopg

    from tests.settings import POSTGRES_URL

    admin = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    name = f"consejo_crash_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres_only
def test_postgresql_keeps_every_acknowledged_write_after_sigkill(
    tmp_path: Path, scratch_postgres: str
) -> None:
    env = environment(tmp_path, scratch_postgres)
    acknowledged, _failures = load_then_kill(env, tmp_path)
    check_nothing_acknowledged_was_lost(env, tmp_path, acknowledged)
