"""The `consejo` command as a user runs it: a real process, its stdout, stderr and exit status."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CONSEJO = [sys.executable, "-m", "consejo.cli"]
#: ``consejo <arguments>`` in a process that fails if Django is imported (the commands that read
#: a file and need no database run without it: consejo.offline).
NO_DJANGO = (
    "import runpy, sys; sys.argv = ['consejo'] + sys.argv[1:];"
    "exit_code = 0\n"
    "try:\n    runpy.run_module('consejo.cli', run_name='__main__')\n"
    "except SystemExit as e:\n    exit_code = e.code or 0\n"
    "assert 'django' not in sys.modules, 'Django was imported'\n"
    "sys.exit(exit_code)"
)


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CONSEJO_HTTPS", "SECRET_KEY"}
    }
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*CONSEJO, *args],
        env={**base, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def local_env(tmp_path: Path) -> dict[str, str]:
    return {
        "CONSEJO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'consejo.sqlite3'}",
        "CONSEJO_HTTPS": "false",
    }


@pytest.fixture
def example_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bodies.csv"
    path.write_text("name,members\nA,100000\nB,80000\nC,30000\nD,20000\n")
    return path


def test_apportion_prints_name_members_seats_as_csv(
    example_csv: Path, local_env: dict[str, str]
) -> None:
    done = run("apportion", "--method", "dhondt", "--seats", "8", str(example_csv), env=local_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "name,members,seats",
        "A,100000,4",
        "B,80000,3",
        "C,30000,1",
        "D,20000,0",
    ]


def test_apportion_prints_json_on_request(example_csv: Path, local_env: dict[str, str]) -> None:
    done = run(
        "apportion",
        "--method",
        "sainte-lague",
        "--seats",
        "8",
        "--json",
        str(example_csv),
        env=local_env,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [share["seats"] for share in result["shares"]] == [3, 3, 1, 1]
    assert result["method"] == "sainte-lague"


def test_apportion_huntington_hill_reads_the_file_and_respects_the_minimum(
    example_csv: Path, local_env: dict[str, str]
) -> None:
    done = run(
        "apportion",
        "--method",
        "huntington-hill",
        "--seats",
        "10",
        "--min-seats",
        "1",
        str(example_csv),
        env=local_env,
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split(",") for line in done.stdout.splitlines()[1:]]
    seats = [int(row[2]) for row in rows]
    assert sum(seats) == 10
    assert min(seats) >= 1


@pytest.mark.parametrize(
    ("content", "args", "needle"),
    [
        ("name,members\nA,-5\n", [], "line 2"),
        ("name,members\nA,abc\n", [], "line 2"),
        ("name,members\n", [], "no constituencies"),
        ("name,members\nA,10\nB,10\n", ["--min-seats", "5"], "min"),
        ("name,members\nA,10\nA,20\n", [], "A"),
    ],
)
def test_apportion_bad_input_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, local_env: dict[str, str], content: str, args: list[str], needle: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    done = run("apportion", "--method", "hamilton", "--seats", "3", *args, str(path), env=local_env)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("consejo apportion: error:")
    assert needle in lines[0]
    assert "Traceback" not in done.stderr


def test_apportion_of_a_missing_file_is_a_one_line_error(local_env: dict[str, str]) -> None:
    done = run("apportion", "--method", "dhondt", "--seats", "3", "/no/such.csv", env=local_env)
    assert done.returncode == 2
    assert done.stderr.strip() == "consejo apportion: error: /no/such.csv: no such file"


@pytest.mark.parametrize(
    ("args", "status", "output"),
    [
        (["--seats", "8"], 0, "name,members,seats\nA,100000,4\nB,80000,3\nC,30000,1\nD,20000,0\n"),
        (["--seats", "8", "--json"], 0, '{\n  "method": "dhondt",'),
        (["--seats", "4", "--min-seats", "1"], 0, "name,members,seats\nA,100000,1\n"),
        (["--seats", "-3"], 2, "consejo apportion: error: --seats must be a whole number"),
        (["--seats", "x"], 2, "consejo apportion: error: argument --seats: invalid int value"),
        (["--seats", "3", "--min-seats", "2"], 2, "consejo apportion: error: min_seats 2 for"),
    ],
)
def test_apportion_runs_without_django_and_answers_as_before(
    example_csv: Path, args: list[str], status: int, output: str
) -> None:
    done = run_without_django("apportion", "--method", "dhondt", *args, str(example_csv))
    assert done.returncode == status, done.stderr
    assert "Django was imported" not in done.stderr
    assert (done.stdout if status == 0 else done.stderr).startswith(output)
    assert (done.stderr if status == 0 else done.stdout) == ""


def test_a_bad_file_for_apportion_without_django_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,members\nA,1\nA,2\n")
    done = run_without_django("apportion", "--method", "hamilton", "--seats", "3", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"consejo apportion: error: {path}: line 3: duplicate name 'A' (first on line 2)\n"
    )


def test_count_and_allocate_run_without_django(tmp_path: Path) -> None:
    blt = tmp_path / "two.blt"
    blt.write_text('2 1\n3 1 0\n2 2 0\n0\n"A"\n"B"\n"t"\n')
    count = run_without_django("count", "--method", "plurality", str(blt))
    assert count.returncode == 0, count.stderr
    assert json.loads(count.stdout)["elected"] == ["A"]
    allocate = run_without_django("allocate", str(EXAMPLE_ALLOCATION))
    assert allocate.returncode == 0, allocate.stderr
    assert json.loads(allocate.stdout)["total_cost"] >= 0


def run_without_django(*args: str) -> subprocess.CompletedProcess[str]:
    """``consejo <args>`` from the shell, in a process that must not import Django."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-c", NO_DJANGO, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_help_lists_our_commands(local_env: dict[str, str]) -> None:
    done = run("help", env=local_env)
    assert done.returncode == 0
    for command in ("allocate", "apportion", "count", "ledger", "demo", "migrate", "runserver"):
        assert command in done.stdout


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


def test_standard_input_that_is_not_utf8_is_refused_in_one_line(local_env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603
        [*CONSEJO, "apportion", "--method", "dhondt", "--seats", "3", "-"],
        env={**os.environ, **local_env},
        input=b"name,members\nA\xff,10\n",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        "consejo apportion: error: standard input: not UTF-8 text (byte 14)"
    )


def test_a_seat_count_beyond_any_assembly_is_refused_at_once(
    example_csv: Path, local_env: dict[str, str]
) -> None:
    done = run(
        "apportion",
        "--method",
        "dhondt",
        "--seats",
        "99999999999999999999",
        str(example_csv),
        env=local_env,
    )
    assert done.returncode == 2
    assert "from 0 to 1000000" in done.stderr


ORACLE_BLT = Path(__file__).resolve().parents[1] / "core" / "data" / "stv" / "blt"


def test_count_prints_the_scottish_stv_result_as_json(local_env: dict[str, str]) -> None:
    # Glasgow, Calton ward, 3 May 2007: the official winners were Redmond, Simpson, Thewliss.
    done = run(
        "count",
        "--method",
        "scottish-stv",
        str(ORACLE_BLT / "scotland-Calton-2007.blt"),
        env=local_env,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result["elected"]) == {"George Redmond", "Ruth Simpson", "Alison E Thewliss"}
    assert result["method"] == "scottish-stv"
    assert result["seats"] == 3
    assert result["valid_ballots"] == 5199
    assert result["rounds"][0]["votes"]


def test_count_with_fewer_seats_and_plurality(local_env: dict[str, str], tmp_path: Path) -> None:
    blt = tmp_path / "tiny.blt"
    blt.write_text('3 2\n4 1 2 0\n5 2 0\n3 3 0\n0\n"Ana"\n"Benito"\n"Carmen"\n"Junta"\n')
    done = run("count", "--method", "plurality", "--seats", "1", str(blt), env=local_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["elected"] == ["Benito"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('2 1\n1 1 2\n0\n"A"\n"B"\n"T"\n', "line 2:"),
        ('2 1\n1 1 0\n0\n"A"\n', "line 4:"),
        ("", "line 1:"),
    ],
)
def test_a_malformed_ballot_file_is_one_line_naming_the_line_and_exit_2(
    tmp_path: Path, local_env: dict[str, str], content: str, needle: str
) -> None:
    blt = tmp_path / "bad.blt"
    blt.write_text(content)
    done = run("count", "--method", "scottish-stv", str(blt), env=local_env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("consejo count: error:")
    assert needle in lines[0]


EXAMPLE_ALLOCATION = Path(__file__).resolve().parents[2] / "docs" / "examples" / "allocation.json"


def test_allocate_prints_a_plan_within_stock_and_need(local_env: dict[str, str]) -> None:
    done = run("allocate", str(EXAMPLE_ALLOCATION), env=local_env)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    problem = json.loads(EXAMPLE_ALLOCATION.read_text())
    stock = {(d["id"], item): n for d in problem["depots"] for item, n in d["stock"].items()}
    need = {(r["id"], item): n for r in problem["recipients"] for item, n in r["need"].items()}
    shipped: dict[tuple[str, str], int] = {}
    received: dict[tuple[str, str], int] = {}
    for s in plan["shipments"]:
        shipped[s["depot"], s["item"]] = shipped.get((s["depot"], s["item"]), 0) + s["units"]
        key = (s["recipient"], s["item"])
        received[key] = received.get(key, 0) + s["units"]
    assert shipped
    assert all(units <= stock[key] for key, units in shipped.items())
    assert all(units <= need[key] for key, units in received.items())
    assert plan["total_cost"] == sum(s["units"] * s["cost"] for s in plan["shipments"])


def test_allocate_of_bad_input_names_the_place_in_one_line_and_exits_2(
    local_env: dict[str, str],
) -> None:
    bad = json.dumps(
        {"items": [{"id": "gas"}], "depots": [{"id": "a", "stock": {"gas": -5}}], "recipients": []}
    )
    done = run("allocate", "-", env=local_env, stdin=bad)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("consejo allocate: error: -: depots[0] ('a').stock.gas:")
    assert done.stdout == ""
    missing = run("allocate", "no-such-problem.json", env=local_env)
    assert (missing.returncode, missing.stderr.strip()) == (
        2,
        "consejo allocate: error: no-such-problem.json: no such file",
    )


def test_count_allocate_and_apportion_are_management_commands_too(
    tmp_path: Path, example_csv: Path
) -> None:
    # They run without Django from the shell; call_command runs the same work.
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("allocate", str(EXAMPLE_ALLOCATION), stdout=out)
    shell = run("allocate", str(EXAMPLE_ALLOCATION))
    assert json.loads(out.getvalue()) == json.loads(shell.stdout)
    blt = tmp_path / "two.blt"
    blt.write_text('2 1\n3 1 0\n2 2 0\n0\n"A"\n"B"\n"t"\n')
    out = io.StringIO()
    call_command("count", "--method", "plurality", str(blt), stdout=out)
    assert json.loads(out.getvalue())["elected"] == ["A"]
    with pytest.raises(CommandError, match="no such file"):
        call_command("count", "--method", "plurality", str(tmp_path / "none.blt"))
    for extra in ([], ["--json"]):
        args = ["apportion", "--method", "dhondt", "--seats", "8", *extra, str(example_csv)]
        out = io.StringIO()
        call_command(*args, stdout=out)
        assert out.getvalue() == run(*args).stdout
    with pytest.raises(CommandError, match="--min-seats must be a whole number"):
        call_command("apportion", "--method", "dhondt", "--seats", "3", "--min-seats", "-1", "x")


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


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--seats", "-3"], "--seats must be a whole number from 0 to 1000000, got -3"),
        (["--seats", "3", "--min-seats", "-1"], "--min-seats must be a whole number"),
        (["--seats", "x"], "argument --seats: invalid int value: 'x'"),
    ],
)
def test_a_wrong_option_is_blamed_on_the_option_in_one_line(
    example_csv: Path, local_env: dict[str, str], args: list[str], expected: str
) -> None:
    done = run("apportion", "--method", "dhondt", *args, str(example_csv), env=local_env)
    assert done.returncode == 2
    assert done.stderr.startswith(f"consejo apportion: error: {expected}")
    assert str(example_csv) not in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_usage_mistake_of_an_offline_command_is_one_line(local_env: dict[str, str]) -> None:
    done = run("count", "--method", "nonsense", "x.blt", env=local_env)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("consejo count: error: argument --method: invalid choice")
