"""`consejo apportion` as a user runs it: CSV or JSON out, bad input and wrong options in one line
on stderr with exit status 2, and the same answers in a process without Django."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.processes import CONSEJO, run, run_without_django


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
