"""Reading rosters as spreadsheets write them (consejo.core.roster, consejo.core.csvtext)."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from hypothesis import given, strategies as st

from consejo.core.csvtext import decode_text, delimiter_of
from consejo.core.errors import InvalidInput
from consejo.core.roster import MAX_NAME, RosterLine, RosterRefused, read_roster_csv

#: The sectors as bodies.models.Sector has them, with the labels the form shows in Spanish and
#: in English (the page passes these).
SECTORS = {
    "worker": ["trabajador/a", "worker"],
    "miner": ["minero/a", "miner"],
    "resident": ["vecino/a", "resident"],
    "vendor": ["comerciante gremial", "street vendor"],
    "transport": ["trabajador/a del transporte", "transport worker"],
    "health": ["trabajador/a de salud", "health worker"],
}


def read(text: str) -> list[RosterLine]:
    return read_roster_csv(text, sectors=SECTORS)


def problems_of(text: str) -> list[str]:
    with pytest.raises(RosterRefused) as refused:
        read(text)
    return [str(problem) for problem in refused.value.problems]


def test_what_excel_writes_in_bolivia_is_read_semicolons_spanish_headers_and_sectors() -> None:
    text = (
        "Nombre;Sector;Teléfono\r\n"
        "Juana Mamani;minera;+591 70000001\r\n"
        "Pedro Quispe;Trabajador del Transporte;\r\n"
        '"Choque; Ana";VECINA;70000002\r\n'
        "Rosa Apaza;comerciante gremial;\r\n"
        "Luis Condori;trabajador/a de salud;\r\n"
    )
    assert [(p.line, p.name, p.sector, p.phone) for p in read(text)] == [
        (2, "Juana Mamani", "miner", "+591 70000001"),
        (3, "Pedro Quispe", "transport", ""),
        (4, "Choque; Ana", "resident", "70000002"),
        (5, "Rosa Apaza", "vendor", ""),
        (6, "Luis Condori", "health", ""),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "nombre,sector,telefono",
        "NOMBRE,SECTOR,TELÉFONO",
        "Nombre,Sector,Teléfono",
        "Name,sector,phone",
        "Name , Sector , Phone",
        "sector,nombre,celular",
        "nombres,sector,teléfono",
    ],
)
def test_the_header_may_be_english_or_spanish_with_or_without_accents_in_any_case(
    header: str,
) -> None:
    value = {"nom": "Juana", "nam": "Juana", "sec": "minero"}
    row = [value.get(field.strip().lower()[:3], "70000001") for field in header.split(",")]
    (person,) = read(f"{header}\n{','.join(row)}\n")
    assert (person.name, person.sector, person.phone) == ("Juana", "miner", "70000001")


def test_sector_names_are_read_in_either_gender_in_spanish_english_or_as_codes() -> None:
    names = ["minero", "minera", "MINERO/A", "Miner", "miner", "Mínera"]
    text = "name,sector\n" + "".join(f"P{i},{name}\n" for i, name in enumerate(names))
    assert {p.sector for p in read(text)} == {"miner"}


def test_every_bad_line_is_reported_at_once_each_with_its_line() -> None:
    text = (
        "nombre;sector;telefono\n"
        "Juana;minera;70000001\n"
        "Pedro;pirata;\n"  # 3: no such sector
        "Ana;vecina;70000001\n"  # 4: the phone of line 2
        ";vecina;\n"  # 5: no name
        "Rosa;vecina\n"  # 6: a value missing
        "Luis;vecina;12ab\n"  # 7: not a phone number
        "Eva;vecina;\n"
        f"{'x' * (MAX_NAME + 1)};vecina;\n"  # 9: too long a name
        "Ana\u202eQ;vecina;\n"  # 10: a hidden character
    )
    problems = problems_of(text)
    assert [problem.split(":")[0] for problem in problems] == [
        f"line {n}" for n in (3, 4, 5, 6, 7, 9, 10)
    ]
    assert "unknown sector 'pirata'" in problems[0]
    assert "already on line 2" in problems[1]
    assert "expected 3 values" in problems[3]


def test_every_problem_carries_a_message_to_translate() -> None:
    with pytest.raises(RosterRefused) as refused:
        read("name,sector\nA,pirate\nB,\n")
    assert all(problem.template for problem in refused.value.problems)
    assert [problem.params["line"] for problem in refused.value.problems] == [2, 3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("name,sector\n", "nobody on it"),
        ("nom,secteur\nA,worker\n", "line 1: the header must name the columns name and sector"),
        ("name,sector,name\nA,worker,B\n", "line 1: the header"),
        ('name,sector\n"A"x,worker\n', "line 2: not valid CSV"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem(text: str, message: str) -> None:
    assert message in " ".join(problems_of(text))


def test_a_bad_line_before_malformed_quoting_is_reported_with_it() -> None:
    problems = problems_of('name,sector\nA,pirate\n"B"x,worker\n')
    assert [problem[:6] for problem in problems] == ["line 2", "line 3"]


def test_an_echoed_value_is_cut_so_that_a_problem_stays_one_short_line() -> None:
    (problem,) = problems_of("name,sector\nA," + "z" * 100_000 + "\n")
    assert len(problem) < 300


# --- encodings ---


def test_a_file_in_windows_1252_or_latin_1_is_read_with_its_accents() -> None:
    text = "nombre;sector;teléfono\r\nJosé Ñusta;minero;\r\n"
    for encoding in ("cp1252", "latin-1"):
        (person,) = read(decode_text(text.encode(encoding)))
        assert person.name == "José Ñusta"
    # 0x81 is undefined in Windows-1252: the file is then read as Latin-1.
    assert decode_text(b"a\x81\xe9") == "a\x81é"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf8_with_or_without_a_byte_order_mark_and_utf16_are_read(encoding: str) -> None:
    text = "Nombre,Sector\nJosé Ñusta,minera\n"
    assert decode_text(text.encode(encoding)) == text


def test_a_file_that_mixes_utf8_and_latin_1_is_refused_naming_the_line() -> None:
    with pytest.raises(InvalidInput, match="line 3: the file mixes encodings"):
        decode_text("name,sector\nJosé,miner\n".encode() + "Iñaki,miner\n".encode("latin-1"))


def test_a_utf16_file_that_is_not_is_refused() -> None:
    with pytest.raises(InvalidInput, match="UTF-16"):
        decode_text(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("name,sector", ","), ("name;sector", ";"), ("name\tsector", "\t"), ("name", ",")],
)
def test_the_delimiter_is_the_one_the_header_holds(header: str, delimiter: str) -> None:
    assert delimiter_of(f"\ufeff\n{header}\nA;B,C\n") == delimiter


_NAME = st.text(
    st.sampled_from("abcdefghijklmnñopqrstuvwxyzáéíóúüÁÉÍÓÚÑ ,;'\"-"), min_size=1, max_size=20
).map(str.strip)


@given(
    people=st.lists(
        st.tuples(_NAME.filter(bool), st.sampled_from(sorted(SECTORS))), min_size=1, max_size=8
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]),
    spanish=st.booleans(),
)
def test_a_roster_written_by_a_spreadsheet_reads_back(
    people: list[tuple[str, str]], delimiter: str, encoding: str, spanish: bool
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Nombre", "Sector"] if spanish else ["name", "sector"])
    writer.writerows([name, SECTORS[code][0] if spanish else code] for name, code in people)
    lines = read(decode_text(out.getvalue().encode(encoding)))
    assert [(p.name, p.sector) for p in lines] == people
