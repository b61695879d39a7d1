"""One policy decides who sees a name, on every interface (core.visibility; docs/privacy.md).

Each reader asks every interface that names those who seek or hold office (the election page, its
results, CSV and BLT, the council's page, and the API's candidates, result, BLT, election detail and
mandates) and must get the same answer everywhere: names for members of the federation and
operators, none for the anonymous web and for a login whose memberships have all ended.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given, strategies as st

from consejo.bodies import services as bodies
from consejo.bodies.services import api_token_issue
from consejo.core.visibility import Names, Reader, may_see_names
from consejo.elections import services
from tests.api.elections.api import vote_all
from tests.builders import (
    RunningElection,
    SmallFederation,
    build_running_election,
    build_small_federation,
    make_member,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


@given(st.sampled_from(list(Names)), st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_the_rule_orders_the_readers(
    names: Names, operator: bool, in_federation: bool, near: bool, public: bool
) -> None:
    reader = Reader(operator=operator, in_federation=in_federation, near_body=near)
    seen = may_see_names(names, reader, office_public=public)
    # An operator sees everything; nobody sees a roster they are not near, whatever the setting.
    if operator:
        assert seen
    if names is Names.MEMBERS:
        assert seen == (operator or near)
    else:
        assert seen == (operator or in_federation or near or public)
        # Whoever may see a roster may see who holds office.
        assert may_see_names(Names.OFFICE, reader, office_public=public) >= may_see_names(
            Names.MEMBERS, reader, office_public=public
        )


@pytest.fixture
def counted(operator: Any, time_machine: Any) -> tuple[SmallFederation, RunningElection]:
    federation = build_small_federation(actor=operator)
    run = build_running_election(actor=operator, federation=federation, traveller=time_machine)
    vote_all(Client(), run)
    run.close_and_decrypt(time_machine)
    services.election_count(actor=run.secretary, election_id=run.election.pk)
    return federation, run


def _readers(operator: Any, time_machine: Any) -> dict[str, Any]:
    """Who reads: nobody, a login whose membership ended, a member of a body far away (another
    federation altogether), and an operator."""
    far = bodies.body_create(actor=operator, name="Lejos", slug="lejos", kind="mine")
    miner = make_member(actor=operator, body=far, username="lejano", name="Minero Lejano")
    gone_body = bodies.body_create(actor=operator, name="Ida", slug="ida", kind="mine")
    gone = make_member(actor=operator, body=gone_body, username="ido", name="Ido Quispe")
    time_machine.shift(60)
    bodies.membership_end(actor=operator, membership_id=gone.member.memberships.get().pk)
    return {"anonymous": None, "ended": gone, "far member": miner, "operator": operator}


SEES = {"anonymous": False, "ended": False, "far member": True, "operator": True}


@pytest.mark.parametrize("reader", list(SEES))
def test_every_page_export_and_api_answer_alike(
    reader: str,
    counted: tuple[SmallFederation, RunningElection],
    operator: Any,
    time_machine: Any,
) -> None:
    federation, run = counted
    user = _readers(operator, time_machine)[reader]
    elected = run.election.__class__.objects.get(pk=run.election.pk).result["elected"]
    name = elected[0]
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        web.force_login(user)
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='t')}"} if user else {}
    e = run.election.pk

    pages = {
        "election page": web.get(f"/elections/{e}/"),
        "results": web.get(f"/elections/{e}/results/"),
        "csv": web.get(f"/elections/{e}/results.csv"),
        "blt": web.get(f"/elections/{e}/ballots.blt"),
        "council page": web.get(f"/bodies/{federation.council.slug}/"),
    }
    api = {
        "api candidates": Client().get(f"{API}/elections/{e}/candidates", **token),
        "api result": Client().get(f"{API}/elections/{e}/result", **token),
        "api blt": Client().get(f"{API}/elections/{e}/ballots.blt", **token),
        "api election": Client().get(f"{API}/elections/{e}", **token),
        "api mandates": Client().get(f"{API}/mandates/?council={federation.council.slug}", **token),
    }
    answers = {where: name in r.content.decode() for where, r in (pages | api).items()}
    assert answers == dict.fromkeys(answers, SEES[reader]), answers
    # Refusals are refusals, never a 500: the login page, a 403, or the API's 401/403.
    for where, response in (pages | api).items():
        assert response.status_code in (200, 302, 401, 403), (where, response.status_code)
        if not SEES[reader] and where in ("results", "csv", "blt"):
            assert response.status_code == (302 if user is None else 403)
