"""The roster import page with the files secretaries really have: what Excel writes in Bolivia
(semicolons, Spanish headers and sectors, Windows-1252), and every bad line named at once, in
the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from consejo.bodies import services
from consejo.bodies.models import Body, Membership
from consejo.bodies.services import RosterRow
from consejo.core.roster import RosterRefused, read_roster_csv
from consejo.ledger.models import LedgerEntry
from tests.builders import make_secretary

pytestmark = pytest.mark.django_db


@pytest.fixture
def plant(operator: Any) -> Body:
    return services.body_create(
        actor=operator, name="Planta Senkata", slug="senkata", kind="workplace"
    )


def upload(user: Any, data: bytes, language: str = "es") -> list[str]:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    file = SimpleUploadedFile("padron.csv", data, content_type="text/csv")
    response = client.post("/bodies/senkata/roster/", {"file": file}, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def sectors_of(body: Body) -> dict[str, str]:
    return dict(Membership.objects.filter(body=body).values_list("member__name", "sector"))


def test_a_roster_saved_by_excel_in_bolivia_is_imported(operator: Any, plant: Body) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="sec-plant")
    text = (
        "Nombre;Sector;Teléfono\r\n"
        "José Ñusta Mamani;minero/a;+591 70000001\r\n"
        "Juana Quispe;TRABAJADORA;\r\n"
        "Pedro Choque;trabajador del transporte;70000002\r\n"
        "Ana Apaza;Vecina;\r\n"
    )
    messages = upload(secretary, text.encode("cp1252"))
    assert "Se registraron 4 miembros." in messages
    assert {
        "José Ñusta Mamani": "miner",
        "Juana Quispe": "worker",
        "Pedro Choque": "transport",
        "Ana Apaza": "resident",
    }.items() <= sectors_of(plant).items()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "latin-1", "utf-16"])
def test_each_encoding_a_spreadsheet_saves_in_is_read(
    operator: Any, plant: Body, encoding: str
) -> None:
    text = "nombre,sector,telefono\nIñaki Condori,minero,\n"
    assert "Se registró 1 miembro." in upload(operator, text.encode(encoding))
    assert sectors_of(plant) == {"Iñaki Condori": "miner"}


def test_every_bad_line_is_named_at_once_in_spanish_and_nobody_is_registered(
    operator: Any, plant: Body
) -> None:
    entries = LedgerEntry.objects.count()
    text = (
        "nombre;sector;telefono\n"
        "Juana;minera;70000001\n"
        "Pedro;pirata;\n"
        "Ana;vecina;70000001\n"
        ";vecina;\n"
        "Rosa;vecina\n"
    )
    messages = upload(operator, text.encode())
    assert messages[0] == (
        "El padrón no se importó: 4 problemas. Corríjalos y vuelva a subir el archivo."
    )
    assert messages[1].startswith("línea 3: sector desconocido 'pirata'; use uno de estos: ")
    assert "minero/a" in messages[1]
    assert messages[2:] == [
        "línea 4: este teléfono ya está en la línea 2",
        "línea 5: falta el nombre",
        "línea 6: se esperaban 3 valores (name,sector,phone), hay 2",
    ]
    assert not Membership.objects.filter(body=plant).exists()
    assert LedgerEntry.objects.count() == entries


def test_the_same_problems_read_in_english_for_an_english_reader(
    operator: Any, plant: Body
) -> None:
    messages = upload(operator, b"name,sector\nA,pirate\nB,\n", language="en")
    assert messages[0].startswith("The roster was not imported: 2 problems.")
    assert messages[1].startswith("line 2: unknown sector 'pirate'; use one of worker, ")


def test_a_file_with_hundreds_of_bad_lines_names_fifty_then_lists_the_other_lines(
    operator: Any, plant: Body
) -> None:
    text = "name,sector\n" + "".join(f"P{i},pirate\n" for i in range(80)) + "Q,worker\nR,x\n"
    messages = upload(operator, text.encode(), language="en")
    assert messages[0].startswith("The roster was not imported: 81 problems.")
    assert len(messages) == 1 + 50 + 1
    assert messages[-1] == "Also wrong: lines 52-81, 83."


def test_a_single_problem_is_one_message(operator: Any, plant: Body) -> None:
    assert upload(operator, b"nom,sector\nA,worker\n", language="en") == [
        "The roster was not imported: line 1: the header must name the columns name and sector "
        "(and optionally phone), in English or Spanish, got 'nom,sector'"
    ]


@pytest.mark.parametrize(
    ("name", "phone"),
    [
        ("Ana Quispe", ""),
        ("", ""),
        (" ", ""),
        ("x" * 200, ""),
        ("x" * 201, ""),
        ("Ana\u202eQ", ""),
        ("Ana\u200bQ", ""),
        ("Ana\x00Q", ""),
        ("Ana", "70000001"),
        ("Ana", "+591 (2) 700-0001"),
        ("Ana", "12345"),
        ("Ana", "1234567890123456"),
        ("Ana", "70ab0001"),
        ("Ana", "++59170000001"),
    ],
)
def test_the_reader_and_the_service_agree_on_which_names_and_phones_are_valid(
    operator: Any, plant: Body, name: str, phone: str
) -> None:
    # The reader checks each line so as to name every bad one at once; the service checks again.
    try:
        read_roster_csv(f'name,sector,phone\n"{name}",worker,"{phone}"\n', sectors=["worker"])
    except RosterRefused:
        read_ok = False
    else:
        read_ok = True
    try:
        services.membership_import(
            actor=operator,
            body_id=plant.pk,
            rows=[RosterRow(name=name, sector="worker", phone=phone)],
        )
    except Exception:
        service_ok = False
    else:
        service_ok = True
    assert read_ok == service_ok


def test_the_service_names_every_bad_row_at_once(operator: Any, plant: Body) -> None:
    rows = [
        RosterRow(name="Ana", sector="worker", line=2),
        RosterRow(name="", sector="worker", line=3),
        RosterRow(name="Eva", sector="pirate", line=4),
        RosterRow(name="Luz", sector="worker", phone="12", line=5),
    ]
    with pytest.raises(RosterRefused) as refused:
        services.membership_import(actor=operator, body_id=plant.pk, rows=rows)
    assert [str(p).split(":")[0] for p in refused.value.problems] == [
        "line 3",
        "line 4",
        "line 5",
    ]
    assert not Membership.objects.filter(body=plant).exists()
