"""The commands of an installation as a user runs them: help, `check --deploy`, the secret key,
a configuration that cannot be read, `ledger verify` naming an altered row, and the demo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.processes import run


def test_the_help_lists_our_commands(local_env: dict[str, str]) -> None:
    done = run("help", env=local_env)
    assert done.returncode == 0
    for command in ("allocate", "apportion", "count", "ledger", "demo", "migrate", "runserver"):
        assert command in done.stdout


@pytest.mark.parametrize("args", [["--help"], ["help"], []])
def test_the_help_lists_consejo_s_own_commands_first_one_line_each_then_django_s(
    local_env: dict[str, str], args: list[str]
) -> None:
    done = run(*args, env=local_env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    ours = lines.index("consejo's commands:")
    django = next(i for i, line in enumerate(lines) if line.startswith("Django's commands"))
    own = [line.split()[0] for line in lines[ours + 1 : django] if line.strip()]
    assert own[:5] == ["apportion", "count", "allocate", "ledger", "demo"]
    assert "token" in own
    assert all(len(line) <= 100 for line in lines[ours + 1 : django])
    assert "migrate" not in " ".join(lines[:django])
    assert "migrate" in " ".join(lines[django:])


def test_check_deploy_is_clean_with_the_production_defaults(tmp_path: Path) -> None:
    env = {
        "CONSEJO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "ALLOWED_HOSTS": "consejo.example.org",
    }
    done = run("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_generated_secret_key_is_kept_and_private(tmp_path: Path) -> None:
    env = {"CONSEJO_VAR_DIR": str(tmp_path / "var"), "CONSEJO_HTTPS": "false"}
    run("check", env=env)
    key_file = tmp_path / "var" / "secret_key"
    first = key_file.read_text()
    run("check", env=env)
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("variable", "value"), [("DATABASE_URL", "garbage"), ("DEBUG", "maybe"), ("CONSEJO_HTTPS", "?")]
)
def test_a_configuration_that_cannot_be_read_is_one_line_and_exit_2(
    local_env: dict[str, str], variable: str, value: str
) -> None:
    # A command that needs Django (and its settings): `consejo apportion` and the other commands
    # that read a file run without them, whatever the configuration says.
    done = run("ledger", "verify", env={**local_env, variable: value})
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("consejo: error: the configuration cannot be read")


def test_ledger_verify_on_a_real_database_names_the_altered_row(
    local_env: dict[str, str], tmp_path: Path
) -> None:
    assert run("migrate", "-v0", env=local_env).returncode == 0
    script = (
        "from django.contrib.auth.models import User\n"
        "from consejo.bodies import services\n"
        "op = User.objects.create_superuser('op', password='x')\n"
        "c = services.body_create(actor=op, name='C', slug='c', kind='council')\n"
        "for i in range(5):\n"
        "    services.body_create(\n"
        "        actor=op, name=f'B{i}', slug=f'b{i}', kind='mine', parent_id=c.pk\n"
        "    )\n"
    )
    assert run("shell", "-c", script, env=local_env).returncode == 0
    done = run("ledger", "verify", env=local_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok 6 entries, head ")

    with sqlite3.connect(tmp_path / "consejo.sqlite3") as db:
        db.execute(
            "UPDATE ledger_ledgerentry SET payload = replace(payload, 'B3', 'B9') WHERE seq = 5"
        )
    done = run("ledger", "verify", env=local_env)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "consejo ledger: error: ledger broken: entry 5 fails: its contents do not match its hash"
    )


def test_ledger_verify_on_an_unmigrated_database_says_what_to_do(local_env: dict[str, str]) -> None:
    done = run("ledger", "verify", env=local_env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("consejo ledger: error: the database cannot be read")
    assert "consejo migrate" in done.stderr


def test_the_demo_loads_once_and_then_refuses_with_one_line(local_env: dict[str, str]) -> None:
    assert run("migrate", "-v0", env=local_env).returncode == 0
    first = run("demo", env=local_env)
    assert first.returncode == 0, first.stderr
    assert "demo-admin-2005" in first.stdout
    assert run("ledger", "verify", env=local_env).returncode == 0
    again = run("demo", env=local_env)
    assert again.returncode == 2
    assert len(again.stderr.strip().splitlines()) == 1
    quiet = run("demo", "--if-empty", env=local_env)
    assert quiet.returncode == 0
    assert "demo-admin-2005" in quiet.stdout
