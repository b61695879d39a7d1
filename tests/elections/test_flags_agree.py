"""The election page's flags agree with the services: what a page offers a person at an instant
is exactly what the service then accepts, and what it hides the service refuses.

Hypothesis draws the state (the election's mode and phase, who looks, whether they have voted,
who is nominated and whether they accepted); the page's ``may_vote``, ``may_nominate``,
``can_accept`` and ``can_withdraw`` are computed, then each action is tried through its service.
Both sides call one rule in consejo.core.elections; this test keeps any page from drifting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.django import TestCase

from consejo.bodies.models import Member
from consejo.core.errors import ConsejoError
from consejo.elections import services
from consejo.elections.selectors import election_page
from tests.builders import build_small_federation, make_member, make_secretary

T0 = datetime(2031, 3, 1, 9, 0, tzinfo=UTC)
#: Instants after T0 at which the drawn election is looked at: before it opens, while voting,
#: after it closes.
PHASES = {
    "nominations": timedelta(minutes=30),
    "voting": timedelta(hours=2),
    "closed": timedelta(hours=5),
}


def _accepted(action: Any) -> bool:
    try:
        action()
    except ConsejoError:
        return False
    return True


class ElectionFlagsAgreeWithServices(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(T0 - timedelta(days=1), tick=False):
            cls.operator = get_user_model().objects.create_superuser("op", password="op-pass-12")
            fed = build_small_federation(actor=cls.operator)
            cls.fed = fed
            cls.people = {
                "secretary": make_secretary(actor=cls.operator, body=fed.neighborhood),
                "member": make_member(actor=cls.operator, body=fed.neighborhood),
                "miner": make_member(
                    actor=cls.operator, body=fed.mine, username="minero", name="Minero Choque"
                ),
                "operator": cls.operator,
            }

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,
    )
    @given(
        mode=st.sampled_from(["open", "paper"]),
        phase=st.sampled_from(sorted(PHASES)),
        who=st.sampled_from(["secretary", "member", "miner", "operator"]),
        nominee_is_viewer=st.booleans(),
        voted=st.booleans(),
        tally=st.booleans(),
    )
    def test_flags(
        self,
        mode: str,
        phase: str,
        who: str,
        nominee_is_viewer: bool,
        voted: bool,
        tally: bool,
    ) -> None:
        fed, secretary, viewer = self.fed, self.people["secretary"], self.people[who]
        members = list(Member.objects.filter(memberships__body=fed.neighborhood).order_by("pk"))
        me = Member.objects.filter(user=viewer).first()
        with time_machine.travel(T0, tick=False) as clock:
            election = services.election_create(
                actor=secretary,
                body_id=fed.neighborhood.pk,
                council_id=fed.council.pk,
                title="Delegados",
                method="plurality",
                mode=mode,
                opens_at=T0 + timedelta(hours=1),
                closes_at=T0 + timedelta(hours=4),
                substitutes=0,
            )
            standing = services.candidate_nominate(
                actor=secretary, election_id=election.pk, member_id=members[0].pk
            )
            nominee = me if nominee_is_viewer and me in members else members[1]
            if nominee.pk != members[0].pk:
                # Nominated by the secretary and then, as drawn, still waiting for a yes or not.
                services.candidate_nominate(
                    actor=self.people["member"], election_id=election.pk, member_id=nominee.pk
                )
            clock.move_to(T0 + PHASES[phase])
            if mode == "open" and phase == "voting" and voted and me in members:
                services.ballot_cast(actor=viewer, election_id=election.pk, choices=[standing.pk])
            if mode == "paper" and tally and phase != "nominations":
                services.paper_tally_enter(
                    actor=secretary, election_id=election.pk, ballots=[([standing.pk], 3)]
                )
            page = election_page(election=election, actor=viewer, at=T0 + PHASES[phase])
            view = page.state
            rows = [(r.candidate.pk, r.can_accept, r.can_withdraw) for r in page.rows]

            voted_now = _accepted(
                lambda: services.ballot_cast(
                    actor=viewer, election_id=election.pk, choices=[standing.pk]
                )
            )
            assert voted_now == view.may_vote, (view.phase, who, mode)
            others = [m for m in members if m.pk not in {members[0].pk, members[1].pk}]
            if me is not None:
                others = [m for m in others if m.pk != me.pk]
            nominated_now = _accepted(
                lambda: services.candidate_nominate(
                    actor=viewer, election_id=election.pk, member_id=others[0].pk
                )
            )
            assert nominated_now == view.may_nominate, (view.phase, who, mode)
            for candidate, can_accept, can_withdraw in rows:
                accepted = _accepted(
                    lambda c=candidate: services.candidate_accept(actor=viewer, candidate_id=c)
                )
                assert accepted == can_accept, (candidate, who, phase, mode)
                withdrawn = _accepted(
                    lambda c=candidate: services.candidate_withdraw(actor=viewer, candidate_id=c)
                )
                assert withdrawn == can_withdraw, (candidate, who, phase, mode)
