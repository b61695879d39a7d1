"""Nominations (consejo.elections.services.nominations), on SQLite and on PostgreSQL: who
nominates whom, who stands at once and who waits to accept, until when nominations stay open, and
accepting and withdrawing.

State is built through the services; the clock is moved with ``time_machine`` (never a mocked
``now``), starting on 9 June 2005 so that every instant follows the previous one in the ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from consejo.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from consejo.elections import services
from consejo.elections.models import Candidate
from tests.builders import SmallFederation
from tests.elections.instants import OPENS, T0
from tests.elections.services.calls import call, stand
from tests.elections.services.reads import entries, member_of, roster_member, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_member_nominating_a_fellow_member_waits_for_their_acceptance(
    secretary: Any, vecina: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    nominee = roster_member(fed, 0)
    candidate = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=nominee.pk, statement="Honest and brave"
    )
    assert candidate.accepted_at is None
    assert not candidate.standing
    assert candidate.nominated_by == member_of(vecina)
    nominated = entries("candidate.nominated")[-1]
    assert nominated["accepted"] is False
    assert nominated["member"] == nominee.pk
    assert nominated["nominated_by"] == member_of(vecina).pk


def test_a_self_nomination_stands_at_once(
    secretary: Any, vecina: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    assert candidate.standing
    assert entries("candidate.nominated")[-1]["accepted"] is True


def test_a_nomination_by_the_secretary_stands_at_once(secretary: Any, fed: SmallFederation) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=secretary, election_id=election.pk, member_id=roster_member(fed, 3).pk
    )
    assert candidate.standing
    assert candidate.nominated_by == member_of(secretary)


def test_only_members_of_the_electing_body_are_nominated_or_nominate(
    secretary: Any, vecina: Any, minero: Any, outsider: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    before = snapshot()
    with pytest.raises(InvalidInput, match="is not a member of"):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=member_of(minero).pk
        )
    for actor in (minero, outsider):
        with pytest.raises(PermissionDenied):
            services.candidate_nominate(
                actor=actor, election_id=election.pk, member_id=member_of(vecina).pk
            )
    with pytest.raises(NotFound, match="no such election"):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk + 1000, member_id=member_of(vecina).pk
        )
    assert snapshot() == before


def test_a_member_is_nominated_only_once(secretary: Any, vecina: Any, fed: SmallFederation) -> None:
    election = call(secretary, fed)
    services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    before = snapshot()
    with pytest.raises(Conflict, match="already nominated"):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=member_of(vecina).pk
        )
    assert snapshot() == before


def test_nominations_close_when_online_voting_opens(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    election = call(secretary, fed)
    clock(OPENS - timedelta(microseconds=1))
    services.candidate_nominate(
        actor=secretary, election_id=election.pk, member_id=roster_member(fed, 0).pk
    )
    clock(OPENS)
    with pytest.raises(Conflict, match="nominations closed"):
        services.candidate_nominate(
            actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
        )
    assert Candidate.objects.filter(election=election).count() == 1


def test_a_paper_election_takes_nominations_until_its_tally_is_entered(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    election = call(secretary, fed, mode="paper", method="plurality")
    clock(OPENS + timedelta(hours=1))  # the assembly is voting: names still come from the floor
    [first] = stand(secretary, election, roster_member(fed, 0))
    services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[([first], 3)])
    with pytest.raises(Conflict, match="already entered"):
        stand(secretary, election, roster_member(fed, 1))
    vecina_candidate = Candidate.objects.get(election=election, member=member_of(vecina))
    with pytest.raises(Conflict, match="already entered"):
        services.candidate_withdraw(actor=vecina, candidate_id=vecina_candidate.pk)


# --- accepting and withdrawing -------------------------------------------------------------------


def test_the_nominee_or_the_secretary_accepts_nobody_else(
    secretary: Any, vecina: Any, vecino: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    for_vecina = services.candidate_nominate(
        actor=vecino, election_id=election.pk, member_id=member_of(vecina).pk
    )
    for_roster = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=roster_member(fed, 5).pk
    )
    with pytest.raises(PermissionDenied):
        services.candidate_accept(actor=vecino, candidate_id=for_vecina.pk)
    assert not Candidate.objects.get(pk=for_vecina.pk).standing
    assert services.candidate_accept(actor=vecina, candidate_id=for_vecina.pk).standing
    # Someone without a login said yes in the assembly: the secretary records it.
    assert services.candidate_accept(actor=secretary, candidate_id=for_roster.pk).standing
    accepted = entries("candidate.accepted")
    assert [e["candidate"] for e in accepted] == [for_vecina.pk, for_roster.pk]
    assert [e["by"] for e in accepted] == [vecina.pk, secretary.pk]
    with pytest.raises(Conflict, match="already accepted"):
        services.candidate_accept(actor=vecina, candidate_id=for_vecina.pk)


def test_a_withdrawn_candidate_cannot_accept_or_withdraw_again(
    secretary: Any, vecina: Any, vecino: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=vecino, election_id=election.pk, member_id=member_of(vecina).pk
    )
    with pytest.raises(PermissionDenied):
        services.candidate_withdraw(actor=vecino, candidate_id=candidate.pk)
    withdrawn = services.candidate_withdraw(actor=vecina, candidate_id=candidate.pk)
    assert withdrawn.withdrawn_at == T0
    assert not withdrawn.standing
    assert entries("candidate.withdrawn")[-1]["candidate"] == candidate.pk
    before = snapshot()
    with pytest.raises(Conflict, match="withdrawn"):
        services.candidate_accept(actor=vecina, candidate_id=candidate.pk)
    with pytest.raises(Conflict, match="withdrawn"):
        services.candidate_withdraw(actor=secretary, candidate_id=candidate.pk)
    with pytest.raises(NotFound, match="no such candidate"):
        services.candidate_withdraw(actor=secretary, candidate_id=candidate.pk + 1000)
    assert snapshot() == before


def test_nobody_withdraws_once_online_voting_opens(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    clock(OPENS)
    with pytest.raises(Conflict, match="nominations closed"):
        services.candidate_withdraw(actor=vecina, candidate_id=candidate.pk)
    assert Candidate.objects.get(pk=candidate.pk).standing
