"""Running a federation from the web: creating bodies, linking them, setting seats, importing
rosters. Every form goes through its service; every refusal is a message, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from consejo.bodies import services
from consejo.bodies.models import Apportionment, Body, Federation, Membership
from consejo.core.errors import PermissionDenied
from consejo.ledger.models import LedgerEntry
from tests.builders import make_secretary

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def city(operator: Any) -> Body:
    return services.body_create(
        actor=operator, name="El Alto council", slug="el-alto", kind="council", level="city"
    )


@pytest.fixture
def plant(operator: Any, city: Body) -> Body:
    return services.body_create(
        actor=operator, name="Senkata plant", slug="senkata", kind="workplace", parent_id=city.pk
    )


@pytest.fixture
def city_secretary(operator: Any, city: Body) -> Any:
    return make_secretary(actor=operator, body=city, username="sec-city", name="Víctor Huanca")


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_operator_creates_a_top_level_council(operator: Any) -> None:
    response = client_for(operator).post(
        "/bodies/new/",
        {
            "name": "Asamblea Popular Nacional",
            "slug": "nacional",
            "kind": "council",
            "level": "national",
            "parent": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/bodies/nacional/"
    assert LedgerEntry.objects.filter(kind="body.created").count() == 1


def test_a_council_secretary_creates_a_committee_under_their_council(
    city: Body, city_secretary: Any
) -> None:
    client = client_for(city_secretary)
    page = client.get("/bodies/new/")
    assert page.status_code == 200
    # The form offers a secretary only what the rule lets them create.
    assert 'value="committee"' in page.content.decode()
    assert 'value="neighborhood_assembly"' not in page.content.decode()
    response = client.post(
        "/bodies/new/",
        {"name": "Comité de abastecimiento", "slug": "abasto", "kind": "committee"}
        | {"parent": "el-alto"},
    )
    assert response.status_code == 302
    assert Federation.objects.filter(body__slug="abasto", parent=city).exists()


def test_a_council_secretary_cannot_create_a_constituent_that_would_take_seats(
    city: Body, city_secretary: Any
) -> None:
    # Seat packing: empty bodies created under a council took its seats by the minimum.
    response = client_for(city_secretary).post(
        "/bodies/new/",
        {"name": "Junta Vacía", "slug": "vacia", "kind": "neighborhood_assembly"}
        | {"parent": "el-alto"},
    )
    assert response.status_code == 400
    assert not Body.objects.filter(slug="vacia").exists()
    with pytest.raises(PermissionDenied):
        services.body_create(
            actor=city_secretary, name="Vacía", slug="vacia", kind="mine", parent_id=city.pk
        )


def test_a_secretary_cannot_create_a_top_level_body_or_one_under_another_council(
    operator: Any, city: Body, city_secretary: Any
) -> None:
    services.body_create(actor=operator, name="Other", slug="other", kind="council")
    client = client_for(city_secretary)
    # No parent: the service refuses (403); another council: not among the form's choices (400).
    for parent, status in (("", 403), ("other", 400)):
        response = client.post(
            "/bodies/new/", {"name": "X", "slug": "x", "kind": "committee", "parent": parent}
        )
        assert response.status_code == status
    assert not Body.objects.filter(slug="x").exists()


def test_someone_with_no_office_is_refused_the_creation_page(outsider: Any) -> None:
    response = client_for(outsider).get("/bodies/new/")
    assert response.status_code == 403
    assert "create a body" in response.content.decode()


def test_bad_or_taken_short_names_are_explained_and_nothing_is_written(
    operator: Any, city: Body
) -> None:
    client = client_for(operator)
    before = LedgerEntry.objects.count()
    for slug, needle in (("el-alto", "taken"), ("new", "reserved"), ("Bad Slug", "slug")):
        response = client.post(
            "/bodies/new/", {"name": "X", "slug": slug, "kind": "mine", "parent": ""}
        )
        assert response.status_code == 400, slug
        assert needle in response.content.decode().lower(), slug
    assert LedgerEntry.objects.count() == before


def test_the_council_secretary_sets_the_seats_and_sees_them_apportioned(
    operator: Any, city: Body, plant: Body, city_secretary: Any
) -> None:
    services.member_add(actor=operator, body_id=plant.pk, name="J", sector="worker")
    response = client_for(city_secretary).post(
        "/bodies/el-alto/seats/",
        {"method": "sainte-lague", "seats": "7", "min_seats": "1", "members_per_seat": ""},
        follow=True,
    )
    assert response.status_code == 200
    latest = Apportionment.objects.filter(council=city).latest()
    assert (latest.method, latest.seats) == ("sainte-lague", 7)
    assert "apportioned" in messages_of(response)


def test_a_ratio_without_members_per_seat_is_refused_with_a_message(
    operator: Any, city: Body, plant: Body
) -> None:
    response = client_for(operator).post(
        "/bodies/el-alto/seats/",
        {"method": "ratio", "seats": "", "min_seats": "1", "members_per_seat": ""},
        follow=True,
    )
    assert "members per seat" in messages_of(response)
    city.refresh_from_db()
    assert city.apportionment_method == ""


def test_a_plant_secretary_cannot_set_the_councils_seats(
    operator: Any, city: Body, plant: Body
) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="sec-plant")
    response = client_for(secretary).post(
        "/bodies/el-alto/seats/", {"method": "dhondt", "seats": "5", "min_seats": "0"}
    )
    assert response.status_code == 403
    city.refresh_from_db()
    assert city.seats is None


def test_linking_and_unlinking_a_body_from_the_council_page(
    operator: Any, city: Body, plant: Body
) -> None:
    mine = services.body_create(actor=operator, name="Huanuni", slug="huanuni", kind="mine")
    client = client_for(operator)
    page = client.get("/bodies/el-alto/").content.decode()
    assert '<option value="huanuni">' in page
    client.post("/bodies/el-alto/links/", {"body": "huanuni"})
    link = Federation.objects.get(body=mine, parent=city, end__isnull=True)
    # Unlinking moves seats: the button asks once more, naming both sides.
    asked = client.post(f"/bodies/el-alto/links/{link.pk}/end/")
    assert asked.status_code == 200
    assert "Should Huanuni stop sending delegates to El Alto council?" in asked.content.decode()
    link.refresh_from_db()
    assert link.end is None
    done = client.post(f"/bodies/el-alto/links/{link.pk}/end/", {"confirm": "yes"}, follow=True)
    link.refresh_from_db()
    assert link.end is not None
    assert "Huanuni no longer sends delegates here." in messages_of(done)


def test_a_link_that_makes_a_cycle_is_a_message(operator: Any, city: Body) -> None:
    national = services.body_create(
        actor=operator, name="National", slug="national", kind="council"
    )
    services.federation_link(actor=operator, body_id=city.pk, parent_id=national.pk)
    response = client_for(operator).post(
        "/bodies/el-alto/links/", {"body": "national"}, follow=True
    )
    assert "itself" in messages_of(response)


def test_linking_an_unknown_body_is_a_404_page(operator: Any, city: Body) -> None:
    response = client_for(operator).post("/bodies/el-alto/links/", {"body": "atlantis"})
    assert response.status_code == 404


def roster_file(text: str | bytes) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile("padron.csv", data, content_type="text/csv")


def test_the_secretary_imports_a_roster_file(operator: Any, plant: Body) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="sec-plant")
    csv_text = "\ufeffName,Sector,Phone\nJuana Mamani,worker,+591 70000001\nPedro Quispe,WORKER,\n"
    response = client_for(secretary).post(
        "/bodies/senkata/roster/", {"file": roster_file(csv_text)}, follow=True
    )
    assert "2 members were registered" in messages_of(response)
    names = set(Membership.objects.filter(body=plant).values_list("member__name", flat=True))
    assert {"Juana Mamani", "Pedro Quispe"} <= names


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("name,sector\nJuana,worker\nPedro,pirate\n", "line 3"),
        ("nom,sector\nJuana,worker\n", "line 1"),
        ("name,sector\n", "nobody"),
        (b"name,sector\nJos\xc3\xa9,worker\nJos\xe9,worker\n", "line 3"),
        ("name,sector,phone\nA,worker,70000001\nB,worker,70000001\n", "line 3"),
    ],
)
def test_a_bad_roster_is_refused_whole_with_the_line_named(
    operator: Any, plant: Body, content: str | bytes, needle: str
) -> None:
    before = Membership.objects.count()
    response = client_for(operator).post(
        "/bodies/senkata/roster/", {"file": roster_file(content)}, follow=True
    )
    assert response.status_code == 200
    assert needle in messages_of(response)
    assert Membership.objects.count() == before


def test_someone_else_cannot_import_a_roster(outsider: Any, plant: Body) -> None:
    response = client_for(outsider).post(
        "/bodies/senkata/roster/", {"file": roster_file("name,sector\nJ,worker\n")}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(body=plant).exists()


def test_a_membership_cannot_be_ended_through_another_bodys_address(
    operator: Any, city: Body, plant: Body
) -> None:
    membership = services.member_add(actor=operator, body_id=plant.pk, name="J", sector="worker")
    response = client_for(operator).post(f"/bodies/el-alto/memberships/{membership.pk}/end/")
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.end is None


def test_ending_a_membership_asks_first_and_says_whose_it_was(operator: Any, plant: Body) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="Juana Quispe", sector="worker"
    )
    client = client_for(operator)
    roster = client.get("/bodies/senkata/").content.decode()
    address = f"/bodies/senkata/memberships/{membership.pk}/end/"
    assert f'<a class="button" href="{address}">End</a>' in roster
    for asked in (client.get(address), client.post(address)):
        assert asked.status_code == 200
        page = asked.content.decode()
        assert "End the membership of Juana Quispe in Senkata plant?" in page
        assert 'name="confirm" value="yes"' in page
    membership.refresh_from_db()
    assert membership.end is None
    done = client.post(address, {"confirm": "yes", "reason": "moved"}, follow=True)
    membership.refresh_from_db()
    assert membership.end is not None
    assert messages_of(done) == "Juana Quispe is no longer a member of Senkata plant."


def test_a_stranger_is_not_asked_to_confirm_ending_a_membership(
    operator: Any, outsider: Any, plant: Body
) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="Juana Quispe", sector="worker"
    )
    response = client_for(outsider).get(f"/bodies/senkata/memberships/{membership.pk}/end/")
    assert response.status_code == 403


def test_a_get_on_a_form_address_answers_with_the_body_page(operator: Any, city: Body) -> None:
    client = client_for(operator)
    for form in ("seats", "roster", "links"):
        response = client.get(f"/bodies/el-alto/{form}/", follow=True)
        assert response.redirect_chain == [("/bodies/el-alto/", 302)], form
        assert response.status_code == 200
        assert "El Alto council" in response.content.decode()


def test_a_double_click_on_register_does_not_register_twice(operator: Any, plant: Body) -> None:
    client = client_for(operator)
    form = {"name": "Doble Click", "sector": "worker", "phone": ""}
    assert client.post("/bodies/senkata/", form).status_code == 302
    again = client.post("/bodies/senkata/", form)
    assert again.status_code == 400
    assert "already on the roster" in again.content.decode()
    assert Membership.objects.filter(body=plant, member__name="Doble Click").count() == 1
    confirmed = client.post("/bodies/senkata/", {**form, "same_name_ok": "on"})
    assert confirmed.status_code == 302
    assert Membership.objects.filter(body=plant, member__name="Doble Click").count() == 2


def test_uploading_the_same_roster_twice_registers_nobody_twice(operator: Any, plant: Body) -> None:
    client = client_for(operator)
    text = "name,sector\nAna Quispe,worker\nLuis Mamani,worker\n"
    client.post("/bodies/senkata/roster/", {"file": roster_file(text)})
    again = client.post("/bodies/senkata/roster/", {"file": roster_file(text)}, follow=True)
    assert "already on the roster" in messages_of(again)
    assert Membership.objects.filter(body=plant).count() == 2


def test_names_with_hidden_characters_are_refused(operator: Any, plant: Body) -> None:
    for name in ("Ana\u202eacirA", "Ana\u200bQuispe", "Ana\u2028Quispe", "Ana\x85Q"):
        response = client_for(operator).post(
            "/bodies/senkata/", {"name": name, "sector": "worker", "phone": ""}
        )
        assert response.status_code == 400, repr(name)
    assert not Membership.objects.filter(body=plant).exists()


def test_a_stranger_s_roster_upload_is_refused_before_it_is_read(
    outsider: Any, plant: Body
) -> None:
    response = client_for(outsider).post(
        "/bodies/senkata/roster/", {"file": roster_file(b"\xff" * 10)}
    )
    assert response.status_code == 403


def test_the_link_form_offers_only_what_the_viewer_can_link(
    operator: Any, city: Body, plant: Body, city_secretary: Any
) -> None:
    national = services.body_create(
        actor=operator, name="National", slug="national", kind="council"
    )
    services.federation_link(actor=operator, body_id=city.pk, parent_id=national.pk)
    services.body_create(actor=operator, name="Colquiri", slug="colquiri", kind="mine")
    operator_page = client_for(operator).get("/bodies/el-alto/").content.decode()
    assert '<option value="colquiri">' in operator_page
    assert '<option value="national">' not in operator_page  # above it: a cycle
    assert '<option value="senkata">' not in operator_page  # already linked
    secretary_page = client_for(city_secretary).get("/bodies/el-alto/").content.decode()
    assert 'id="linkable"' not in secretary_page  # she is secretary of no other body
