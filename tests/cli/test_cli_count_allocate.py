"""`consejo count` and `consejo allocate` as a user runs them: a published Scottish STV count
(Glasgow, Calton ward, 2007), plans within stock and need, bad files in one line, without Django
too, and the same work through Django's call_command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.processes import run, run_without_django

ORACLE_BLT = Path(__file__).resolve().parents[1] / "core" / "data" / "stv" / "blt"
EXAMPLE_ALLOCATION = Path(__file__).resolve().parents[2] / "docs" / "examples" / "allocation.json"


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


def test_a_usage_mistake_of_an_offline_command_is_one_line(local_env: dict[str, str]) -> None:
    done = run("count", "--method", "nonsense", "x.blt", env=local_env)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("consejo count: error: argument --method: invalid choice")


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


def test_count_and_allocate_run_without_django(tmp_path: Path) -> None:
    blt = tmp_path / "two.blt"
    blt.write_text('2 1\n3 1 0\n2 2 0\n0\n"A"\n"B"\n"t"\n')
    count = run_without_django("count", "--method", "plurality", str(blt))
    assert count.returncode == 0, count.stderr
    assert json.loads(count.stdout)["elected"] == ["A"]
    allocate = run_without_django("allocate", str(EXAMPLE_ALLOCATION))
    assert allocate.returncode == 0, allocate.stderr
    assert json.loads(allocate.stdout)["total_cost"] >= 0


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
