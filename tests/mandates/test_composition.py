"""How a council is composed, as its page and the API show it: who sits for which constituency,
each seat with the chain of seats it is held through down to the base body that elected its
holder, and the officers (consejo.mandates.composition; issue 11, item 5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from consejo.bodies import services as bodies
from consejo.bodies.models import ApportionmentMethod, Body, BodyKind, CouncilLevel
from consejo.mandates.composition import council_composition, office_mandates
from tests.api.elections.api import get, token_for
from tests.builders import SmallFederation, grant_login, make_secretary
from tests.mandates.elect import member, paper_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(
    operator: Any, federation: SmallFederation, clock: Callable[[datetime | timedelta], datetime]
) -> Body:
    """Neighborhood and mine seated in the city council, which seats two in the national
    assembly: Vecina 01 and Minero 01."""
    fed = federation
    national = bodies.body_create(
        actor=operator,
        name="Asamblea Nacional",
        slug="asamblea-nacional",
        kind=BodyKind.COUNCIL,
        level=CouncilLevel.NATIONAL,
    )
    bodies.federation_link(actor=operator, body_id=fed.council.pk, parent_id=national.pk)
    bodies.council_seats_configure(
        actor=operator, council_id=national.pk, method=ApportionmentMethod.HAMILTON, seats=2
    )
    names = fed.neighborhood_names
    paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.council,
        standing=[member(n) for n in names[:5]],
        votes=[50, 40, 30, 20, 10],
        substitutes=1,
    )
    paper_election(
        operator,
        body=fed.mine,
        council=fed.council,
        standing=[member(fed.mine_names[0])],
        votes=[9],
        substitutes=0,
    )
    clock(timedelta(hours=2))
    paper_election(
        operator,
        body=fed.council,
        council=national,
        standing=[member(names[0]), member(fed.mine_names[0]), member(names[1])],
        votes=[4, 3, 1],
        substitutes=1,
    )
    return national


def test_the_national_assembly_shows_each_delegates_chain_down_to_her_base_body(
    chain: Body, federation: SmallFederation
) -> None:
    [delegation] = council_composition(council_id=chain.pk, at=timezone.now())
    assert delegation.constituency == federation.council
    assert [(s.mandate.member.name, s.through) for s in delegation.delegates] == [
        (federation.neighborhood_names[0], (federation.neighborhood,)),
        (federation.mine_names[0], (federation.mine,)),
    ]
    assert [s.mandate.member.name for s in delegation.substitutes] == [
        federation.neighborhood_names[1]
    ]


def test_the_council_page_in_spanish_shows_the_chain_and_stays_small(
    chain: Body, federation: SmallFederation, operator: Any
) -> None:
    viewer = grant_login(
        actor=operator, member=member(federation.neighborhood_names[20]), username="vecina"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(viewer)
    response = client.get(f"/bodies/{chain.slug}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 60_000
    assert "Delegados con escaño aquí" in page
    assert "a través de" in page
    assert federation.neighborhood_names[0] in page
    assert f'href="/bodies/{federation.neighborhood.slug}/"' in page
    assert "Suplentes, en orden:" in page
    # Someone outside the federation sees the seats, not the names.
    outsider = Client(HTTP_ACCEPT_LANGUAGE="es").get(f"/bodies/{chain.slug}/").content.decode()
    assert federation.neighborhood_names[0] not in outsider
    assert "a través de" in outsider


def test_a_body_lists_its_officers_with_the_provisional_marked(
    operator: Any, federation: SmallFederation
) -> None:
    make_secretary(actor=operator, body=federation.mine, username="sec-mina", name="Sec Mina")
    [office] = office_mandates(body_id=federation.mine.pk, at=timezone.now())
    assert (office.office, office.member.name, office.provisional) == (
        "secretary",
        "Sec Mina",
        True,
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(operator)
    page = client.get(f"/bodies/{federation.mine.slug}/").content.decode()
    assert "Cargos" in page
    assert "Secretario/a: Sec Mina" in page
    assert "(provisional)" in page


def test_the_api_lists_a_councils_and_a_members_mandates_with_their_chains(
    chain: Body, federation: SmallFederation, operator: Any
) -> None:
    client = Client()
    token = token_for(operator)
    seats = get(client, f"/mandates/?council={chain.slug}", token).json()
    assert {(m["name"], tuple(m["through"])) for m in seats if m["role"] == "delegate"} == {
        (federation.neighborhood_names[0], (federation.neighborhood.slug,)),
        (federation.mine_names[0], (federation.mine.slug,)),
    }
    assert all(m["derives_from"] is not None and m["office"] == "" for m in seats)
    who = member(federation.neighborhood_names[0])
    mine = get(client, f"/mandates/?member={who.pk}", token).json()
    assert {(m["council"], m["role"]) for m in mine} == {
        (federation.council.slug, "delegate"),
        (chain.slug, "delegate"),
    }
    for query in (
        "",
        f"?council={chain.slug}&member={who.pk}",
        "?member=" + "9" * 5000,
        "?member=0",
    ):
        response = get(client, f"/mandates/{query}", token)
        assert response.status_code in (400, 422), response.content
        assert "detail" in response.json() or "error" in response.json()
