"""The plan's page offers a vote exactly when ``plan_vote`` accepts it, and its tally and the
votes needed are the ones the service decides by (consejo.core.votes is their one rule).

Hypothesis draws who looks (a member of the committee, one who has left it, a member of
another body, an operator), the votes already cast (some by members who have left since) and
whether the viewer already voted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.django import TestCase

from consejo.bodies import services as bodies
from consejo.bodies.models import Membership
from consejo.core.errors import ConsejoError
from consejo.supply import services
from consejo.supply.models import PlanStatus
from consejo.supply.selectors import plan_page, plan_tally
from tests.builders import build_supply, make_member, propose_from_new_figures

T0 = datetime(2031, 3, 1, 9, 0, tzinfo=UTC)


class PlanFlagsAgreeWithServices(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(T0 - timedelta(days=1), tick=False):
            cls.operator = get_user_model().objects.create_superuser("op", password="op-pass-12")
            cls.scene = build_supply(actor=cls.operator)
            cls.fourth = make_member(
                actor=cls.operator, body=cls.scene.committee, username="abasto-4", name="Cuatro"
            )

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        who=st.sampled_from(["member", "left", "outsider", "operator"]),
        earlier=st.lists(st.sampled_from(["yes", "no", "abstain"]), max_size=2),
        leaves=st.booleans(),
        voted=st.booleans(),
    )
    def test_flags(self, who: str, earlier: list[str], leaves: bool, voted: bool) -> None:
        scene = self.scene
        voters = [scene.members[1], scene.members[2]][: len(earlier)]
        viewer = {
            "member": self.fourth,
            "left": self.fourth,
            "outsider": scene.junta,
            "operator": self.operator,
        }[who]
        with time_machine.travel(T0, tick=False) as clock:
            plan = propose_from_new_figures(scene, scene.members[0], units=90)
            for user, choice in zip(voters, earlier, strict=False):
                if plan.status == PlanStatus.PROPOSED:
                    services.plan_vote(actor=user, plan_id=plan.pk, choice=choice)
                plan.refresh_from_db()
            if voted and plan.status == PlanStatus.PROPOSED and who in ("member", "left"):
                services.plan_vote(actor=viewer, plan_id=plan.pk, choice="abstain")
            if leaves and voters:
                # One who voted leaves the committee: their vote no longer counts.
                gone = Membership.objects.get(member__user=voters[0], body=scene.committee)
                bodies.membership_end(actor=self.operator, membership_id=gone.pk, reason="renunció")
            if who == "left":
                mine = Membership.objects.get(member__user=viewer, body=scene.committee)
                bodies.membership_end(actor=self.operator, membership_id=mine.pk, reason="renunció")
            clock.shift(timedelta(minutes=1))
            at = T0 + timedelta(minutes=1)
            plan.refresh_from_db()
            page = plan_page(plan=plan, actor=viewer, at=at)
            tally, present = plan_tally(plan=plan, at=at)
            assert (page.yes, page.no, page.abstain) == tuple(tally)
            assert page.members == len(present)
            assert 2 * page.needed > page.members >= 2 * (page.needed - 1)
            try:
                services.plan_vote(actor=viewer, plan_id=plan.pk, choice="yes")
            except ConsejoError:
                accepted = False
            else:
                accepted = True
            assert accepted == page.may_vote, (who, earlier, leaves, voted, plan.status)
