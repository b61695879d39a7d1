"""Calling an election (consejo.elections.services.calling), on SQLite and on PostgreSQL: the
seats apportioned to the body, the council it sends delegates to, the method, the mode and the
instants of voting, and who may call it.

State is built through the services; the clock is moved with ``time_machine`` (never a mocked
``now``), starting on 9 June 2005 so that every instant follows the previous one in the ledger.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from consejo.bodies import services as body_services
from consejo.core.errors import InvalidInput, PermissionDenied
from consejo.ledger.selectors import ledger_verify
from tests.builders import SmallFederation, make_secretary
from tests.elections.instants import OPENS, T0
from tests.elections.services.calls import call
from tests.elections.services.reads import entries, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

#: Hamilton over the neighbourhood (30 + the people these tests register) and the mine (12):
#: the neighbourhood holds 4 of the council's 5 seats.
NEIGHBORHOOD_SEATS = 4


def test_an_election_fills_the_seats_apportioned_to_the_body(
    secretary: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    assert election.seats == NEIGHBORHOOD_SEATS
    assert election.substitutes == NEIGHBORHOOD_SEATS  # as many substitutes as seats by default
    called = entries("election.called")[-1]
    assert called["election"] == election.pk
    assert called["seats"] == NEIGHBORHOOD_SEATS
    assert called["council"] == "el-alto-council"
    assert called["by"] == secretary.pk
    assert ledger_verify().ok


def test_explicit_seats_equal_to_the_apportionment_are_accepted(
    secretary: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed, seats=NEIGHBORHOOD_SEATS, substitutes=0)
    assert (election.seats, election.substitutes) == (NEIGHBORHOOD_SEATS, 0)


def test_seats_other_than_the_apportioned_ones_are_refused(
    secretary: Any, fed: SmallFederation
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="holds 4 seats"):
        call(secretary, fed, seats=NEIGHBORHOOD_SEATS - 1)
    assert snapshot() == before


def test_instants_beyond_year_9999_are_refused_not_a_crash(
    secretary: Any, fed: SmallFederation
) -> None:
    # 9999-12-31 23:00 at UTC-5 is year 10000 in UTC: Python cannot even represent it.
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    before = snapshot()
    with pytest.raises(InvalidInput, match="years 1 to 9999"):
        call(secretary, fed, closes_at=far)
    assert snapshot() == before


def test_a_body_left_without_seats_by_the_newest_apportionment_cannot_elect(
    operator: Any, secretary: Any, fed: SmallFederation
) -> None:
    # The council's seats are re-apportioned by the ratio rule with a quota no body reaches
    # but the minimum, which is 0 here: the newest apportionment gives the body nothing, while
    # the older one still lists its 4 seats.
    body_services.council_seats_configure(
        actor=operator, council_id=fed.council.pk, method="ratio", members_per_seat=10_000
    )
    before = snapshot()
    with pytest.raises(InvalidInput, match="holds no seats"):
        call(secretary, fed)
    assert snapshot() == before


def test_a_committee_election_needs_its_seats_stated(operator: Any, fed: SmallFederation) -> None:
    committee = body_services.body_create(
        actor=operator,
        name="Comité de abastecimiento",
        slug="supply-committee",
        kind="committee",
        parent_id=fed.council.pk,
    )
    with pytest.raises(InvalidInput, match="how many seats"):
        call(operator, fed, body=fed.council, council=committee, title="Comité", mode="open")
    election = call(
        operator, fed, body=fed.council, council=committee, title="Comité", seats=3, mode="open"
    )
    assert election.seats == 3
    assert election.substitutes == 3


def test_the_council_must_be_a_parent_or_a_committee_of_the_body(
    operator: Any, secretary: Any, fed: SmallFederation
) -> None:
    other = body_services.body_create(
        actor=operator, name="Consejo de La Paz", slug="la-paz", kind="council"
    )
    before = snapshot()
    with pytest.raises(InvalidInput, match="neither sends delegates"):
        call(secretary, fed, council=other, seats=1)
    with pytest.raises(InvalidInput, match="not a council or committee"):
        call(secretary, fed, council=fed.mine, seats=1)
    assert snapshot() == before


@pytest.mark.parametrize("mode", ["secret", "open"])
def test_online_voting_must_open_later_than_now(
    secretary: Any, fed: SmallFederation, mode: str
) -> None:
    with pytest.raises(InvalidInput, match="later than now"):
        call(secretary, fed, mode=mode, opens_at=T0)
    with pytest.raises(InvalidInput, match="later than now"):
        call(secretary, fed, mode=mode, opens_at=T0 - timedelta(hours=1))
    assert call(secretary, fed, mode=mode, opens_at=T0 + timedelta(seconds=1)).pk


def test_instant_runoff_is_refused_for_more_than_one_seat_when_the_election_is_called(
    operator: Any, secretary: Any, fed: SmallFederation
) -> None:
    # IRV fills one seat: an IRV election for the neighbourhood's 4 seats could never be counted.
    before = snapshot()
    with pytest.raises(InvalidInput, match="one seat"):
        call(secretary, fed, method="irv")
    assert snapshot() == before
    committee = body_services.body_create(
        actor=operator, name="Comité", slug="comite", kind="committee", parent_id=fed.council.pk
    )
    election = call(
        operator, fed, body=fed.council, council=committee, method="irv", seats=1, mode="open"
    )
    assert (election.method, election.seats) == ("irv", 1)


def test_a_paper_election_may_open_now(secretary: Any, fed: SmallFederation) -> None:
    assert call(secretary, fed, mode="paper", opens_at=T0).mode == "paper"


def test_voting_must_close_after_it_opens(secretary: Any, fed: SmallFederation) -> None:
    with pytest.raises(InvalidInput, match="close after it opens"):
        call(secretary, fed, closes_at=OPENS)
    with pytest.raises(InvalidInput, match="close after it opens"):
        call(secretary, fed, closes_at=OPENS - timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="time zone"):
        call(secretary, fed, opens_at=OPENS.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "borda"}, "unknown counting method"),
        ({"mode": "postal"}, "unknown kind of ballot"),
        ({"title": "  "}, "title"),
        ({"substitutes": 101}, "substitutes"),
    ],
)
def test_bad_election_fields_are_refused(
    secretary: Any, fed: SmallFederation, fields: dict[str, Any], message: str
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        call(secretary, fed, **fields)
    assert snapshot() == before


def test_only_the_secretary_calls_an_election_and_a_refusal_is_logged(
    fed: SmallFederation,
    vecina: Any,
    minero: Any,
    operator: Any,
    outsider: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mine_secretary = make_secretary(actor=operator, body=fed.mine, username="sec-huanuni")
    before = snapshot()
    for actor in (vecina, minero, outsider, mine_secretary):
        caplog.clear()
        with (
            caplog.at_level(logging.WARNING, logger="consejo.security"),
            pytest.raises(PermissionDenied),
        ):
            call(actor, fed)
        denied = [r for r in caplog.records if r.name == "consejo.security"]
        assert len(denied) == 1
        assert actor.username in denied[0].getMessage()
    assert snapshot() == before
