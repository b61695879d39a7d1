"""A body's page offers to register a member, and a member's page to give, reset, disable or
enable a login, exactly when the service then accepts it (consejo.bodies.authority holds the
rules that both call).

Hypothesis draws who looks (an operator, the body's secretary, a plain member, the secretary of
another body, of the council above, a secretary whose membership has ended, nobody logged in),
which body's page (a base body, another one, the council) and whose member page (without a
login, with one, with a disabled one, a secretary of another body, the viewer themselves).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.django import TestCase

from consejo.bodies import services
from consejo.bodies.models import Member, Membership, Sector
from consejo.bodies.selectors import body_page, login_status
from consejo.core.errors import ConsejoError
from tests.builders import build_small_federation, grant_login, make_member, make_secretary

T0 = datetime(2031, 5, 1, 9, 0, tzinfo=UTC)
VIEWERS = [
    "operator",
    "secretary",
    "member",
    "other-secretary",
    "council-secretary",
    "ended",
    "anonymous",
]
BODIES = ["neighborhood", "mine", "council"]
TARGETS = ["no-login", "login", "disabled", "other-secretary", "self"]


def accepted(action: Any) -> bool:
    """Whether the service accepted the action (a refusal is any error of ours)."""
    try:
        action()
    except ConsejoError:
        return False
    return True


class BodyFlagsAgreeWithServices(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(T0 - timedelta(days=1), tick=False) as clock:
            operator = get_user_model().objects.create_superuser("op", password="op-pass-12")
            fed = build_small_federation(actor=operator)
            cls.operator, cls.fed = operator, fed
            cls.secretary = make_secretary(actor=operator, body=fed.neighborhood)
            cls.member = make_member(actor=operator, body=fed.neighborhood)
            cls.other = make_secretary(
                actor=operator, body=fed.mine, username="sec-mina", name="Sec Mina"
            )
            cls.council_secretary = make_secretary(
                actor=operator, body=fed.council, username="sec-consejo", name="Sec Consejo"
            )
            cls.ended = make_secretary(
                actor=operator, body=fed.neighborhood, username="sec-antes", name="Sec Antes"
            )
            clock.shift(timedelta(minutes=1))
            gone = Membership.objects.get(member__user=cls.ended, body=fed.neighborhood)
            services.membership_end(actor=operator, membership_id=gone.pk, reason="renunció")
            with_login = services.member_add(
                actor=operator,
                body_id=fed.neighborhood.pk,
                name="Con Login",
                sector=Sector.RESIDENT,
            )
            grant_login(actor=operator, member=with_login.member, username="con-login")
            disabled = services.member_add(
                actor=operator,
                body_id=fed.neighborhood.pk,
                name="Sin Acceso",
                sector=Sector.RESIDENT,
            )
            user = grant_login(actor=operator, member=disabled.member, username="sin-acceso")
            services.login_disable(actor=operator, user_id=user.pk)
            cls.targets = {
                "no-login": Member.objects.get(name=fed.neighborhood_names[0]).pk,
                "login": with_login.member_id,
                "disabled": disabled.member_id,
                "other-secretary": Member.objects.get(user=cls.other).pk,
            }

    def viewer(self, who: str) -> Any:
        return {
            "operator": self.operator,
            "secretary": self.secretary,
            "member": self.member,
            "other-secretary": self.other,
            "council-secretary": self.council_secretary,
            "ended": self.ended,
            "anonymous": AnonymousUser(),
        }[who]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(who=st.sampled_from(VIEWERS), where=st.sampled_from(BODIES))
    def test_the_register_form_is_offered_exactly_when_member_add_accepts(
        self, who: str, where: str
    ) -> None:
        viewer, body = self.viewer(who), getattr(self.fed, where)
        with time_machine.travel(T0, tick=False):
            page = body_page(body=body, actor=viewer, at=T0)
            offered = page.can_manage and page.can_see_members  # as templates/bodies/body.html
            took = accepted(
                lambda: services.member_add(
                    actor=viewer, body_id=body.pk, name="Nueva Persona", sector=Sector.RESIDENT
                )
            )
        assert offered == took, (who, where, page.can_manage, page.can_see_members)

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        who=st.sampled_from(VIEWERS),
        whose=st.sampled_from(TARGETS),
        button=st.sampled_from(["reset", "disable", "enable"]),
    )
    def test_the_login_buttons_are_offered_exactly_when_the_services_accept(
        self, who: str, whose: str, button: str
    ) -> None:
        viewer = self.viewer(who)
        if whose == "self":
            if isinstance(viewer, AnonymousUser) or viewer.is_superuser:
                return  # no member behind this login: no member page of their own
            member_id = Member.objects.get(user=viewer).pk
        else:
            member_id = self.targets[whose]
        with time_machine.travel(T0, tick=False):
            member = Member.objects.select_related("user").get(pk=member_id)
            flags = login_status(actor=viewer, member=member, at=T0)
            user_id = member.user_id
            if user_id is None:
                assert (flags.can_reset, flags.can_disable, flags.can_enable) == (False,) * 3
                took = accepted(
                    lambda: services.member_login_grant(
                        actor=viewer, member_id=member_id, username="nuevo-login"
                    )
                )
                assert flags.can_grant == took, (who, whose)
                return
            assert not flags.can_grant
            # One button an example: each from the state the page was drawn from.
            flag, action = {
                "reset": (
                    flags.can_reset,
                    lambda: services.member_login_reset(actor=viewer, member_id=member_id),
                ),
                "disable": (
                    flags.can_disable,
                    lambda: services.login_disable(actor=viewer, user_id=user_id),
                ),
                "enable": (
                    flags.can_enable,
                    lambda: services.login_enable(actor=viewer, user_id=user_id),
                ),
            }[button]
            assert flag == accepted(action), (who, whose, button, flags)
