"""Seat apportionment: bad input refused with one clear line, never a traceback
(consejo.core.apportion.validation), and the CSV and JSON it reads and writes
(consejo.core.apportion.files)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given

from consejo.core.apportion import (
    Constituency,
    Method,
    apportion,
    apportion_by_ratio,
    read_csv,
    to_json,
    write_csv,
)
from consejo.core.errors import InvalidInput
from tests.core.results_apportion import C, solve
from tests.core.strategies_apportion import Problem, constituencies, problems

# ------------------------------------------------------------------------------------------------
# Bad input: one clear line, never a traceback


@pytest.mark.parametrize(
    ("bodies", "arguments", "message"),
    [
        ([], {}, "no constituencies given"),
        ([C("A", -1)], {}, "members of 'A' must be a whole number ≥ 0, got -1"),
        ([C("A", 2.5)], {}, "members of 'A' must be a whole number ≥ 0, got 2.5"),  # type: ignore[arg-type]
        ([C("A", "3")], {}, "members of 'A' must be a whole number ≥ 0, got '3'"),  # type: ignore[arg-type]
        ([C("A", True)], {}, "members of 'A' must be a whole number ≥ 0, got True"),
        ([C("A", 1), C("A", 2)], {}, "duplicate name 'A'"),
        ([C("A", 1), C("  ", 2)], {}, "constituency 2 has an empty name"),
        ([C("A", 1)], {"seats": -1}, "seats must be a whole number from 0 to 1000000, got -1"),
        ([C("A", 1)], {"seats": 10**20}, "seats must be a whole number from 0 to 1000000"),
        ([C("A", 1)], {"min_seats": -1}, "min_seats must be a whole number from 0 to 1000000"),
        ([C("A", 1)], {"seats": 2.0}, "seats must be a whole number from 0 to 1000000, got 2.0"),
        (
            [C("A", 1), C("B", 1), C("C", 1)],
            {"seats": 5, "min_seats": 2},
            "min_seats 2 for each of 3 constituencies needs 6 seats, but only 5",
        ),
        ([C("A", 1)], {"method": "webster"}, "unknown method 'webster'; use one of dhondt"),
    ],
)
def test_bad_input_to_apportion_is_refused_with_one_clear_line(
    bodies: list[Constituency], arguments: dict[str, object], message: str
) -> None:
    call: dict[str, object] = {"method": Method.DHONDT, "seats": 3, **arguments}

    with pytest.raises(InvalidInput) as error:
        apportion(bodies, **call)  # type: ignore[arg-type]

    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"members_per_seat": 0}, "members_per_seat must be a whole number from 1 to"),
        ({"members_per_seat": 500, "min_seats": -1}, "min_seats must be a whole number from 0 to"),
    ],
)
def test_bad_input_to_the_ratio_mode_is_refused(arguments: dict[str, int], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        apportion_by_ratio([C("A", 1)], **arguments)


# ------------------------------------------------------------------------------------------------
# CSV and JSON


def test_read_csv_tolerates_spaces_blank_lines_quotes_a_bom_and_either_column_order() -> None:
    text = '\ufeff Members , NAME \r\n\r\n  120 , "Junta vecinal, Villa Ingenio"\r\n7,Senkata\r\n'

    assert read_csv(text) == [C("Junta vecinal, Villa Ingenio", 120), C("Senkata", 7)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty: expected a header line name,members"),
        ("\n\n", "the file is empty"),
        ("name,members\n", "the file has a header but no constituencies"),
        ("A,12\n", "line 1: the header must be name,members, got 'A,12'"),
        ("name,members,seats\nA,1,1\n", "line 1: the header must be name,members"),
        ("name\nA\n", "line 1: the header must be name,members, got 'name'"),
        ("name,members\nA,1\nB,abc\n", "line 3: members must be a whole number ≥ 0, got 'abc'"),
        ("name,members\nA,-5\n", "line 2: members must be a whole number ≥ 0, got '-5'"),
        ("name,members\nA,2.5\n", "line 2: members must be a whole number ≥ 0, got '2.5'"),
        ("name,members\nA,\n", "line 2: members must be a whole number ≥ 0, got ''"),
        ("name,members\nA,1\n\nB,1,2\n", "line 4: expected 2 fields (name,members), got 3"),
        ("name,members\nA\n", "line 2: expected 2 fields (name,members), got 1"),
        ("name,members\n ,4\n", "line 2: the name is empty"),
        ("name,members\nA,1\nB,2\nA,3\n", "line 4: duplicate name 'A' (first on line 2)"),
        ('name,members\n"A"x,1\n', "line 2: not valid CSV"),
    ],
)
def test_read_csv_names_the_line_of_every_error(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        read_csv(text)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_write_csv_prints_name_members_seats_in_input_order_and_quotes_when_needed() -> None:
    result = apportion([C("Z", 3), C('Junta "Norte", El Alto', 1)], method=Method.DHONDT, seats=2)

    assert write_csv(result) == 'name,members,seats\nZ,3,2\n"Junta ""Norte"", El Alto",1,0\n'


def test_to_json_has_the_documented_shape() -> None:
    result = apportion([C("A", 2), C("B", 1)], method=Method.HAMILTON, seats=2, min_seats=0)

    assert to_json(result) == {
        "method": "hamilton",
        "seats": 2,
        "min_seats": 0,
        "members_per_seat": None,
        "shares": [
            {"name": "A", "members": 2, "seats": 1, "quota": "1.3333"},
            {"name": "B", "members": 1, "seats": 1, "quota": "0.6667"},
        ],
        "ties": [],
    }


def test_to_json_of_the_ratio_mode_has_no_method_and_rounds_quotas_half_up() -> None:
    result = apportion_by_ratio([C("A", 1), C("B", 7)], members_per_seat=1, min_seats=0)
    # 8 seats over 8 members: quotas are exact; then 1 / 16 = 0.0625 -> 0.0625 at 4 places.
    assert to_json(result)["method"] is None
    assert to_json(result)["members_per_seat"] == 1

    tiny = apportion([C("A", 1), C("B", 15)], method=Method.DHONDT, seats=1)
    shares = to_json(tiny)["shares"]
    assert isinstance(shares, list)
    assert shares[0]["quota"] == "0.0625"

    half_up = apportion([C("A", 1), C("B", 19_999)], method=Method.DHONDT, seats=1)
    # 1 / 20000 = 0.00005 exactly: rounded half up to 0.0001.
    half_shares = to_json(half_up)["shares"]
    assert isinstance(half_shares, list)
    assert half_shares[0]["quota"] == "0.0001"


@given(constituencies())
def test_read_csv_reads_back_what_a_spreadsheet_writes(bodies: list[Constituency]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "members"])
    writer.writerows([c.name, c.members] for c in bodies)

    assert read_csv(out.getvalue()) == bodies


@given(problems())
def test_write_csv_reads_back_as_the_input_and_its_seats(problem: Problem) -> None:
    result = solve(problem)

    rows = list(csv.reader(io.StringIO(write_csv(result))))

    assert rows[0] == ["name", "members", "seats"]
    assert [(r[0], int(r[1]), int(r[2])) for r in rows[1:]] == [
        (s.name, s.members, s.seats) for s in result.shares
    ]
