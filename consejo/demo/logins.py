"""How the demo gives its people logins: as a secretary would, then as the member would."""

from __future__ import annotations

from typing import Any

from consejo.bodies.services import login_code_redeem, member_login_grant
from consejo.common.actors import Actor
from consejo.demo.elections import Clock


def demo_login(*, actor: Actor, member: Any, username: str, password: str, clock: Clock) -> Any:
    """Give ``member`` a login (member_login_grant: a one-time code), then set ``password`` with
    the code (login_code_redeem), as the member would at home; returns the login."""
    issued = member_login_grant(
        actor=actor, member_id=member.pk, username=username, at=clock.tick()
    )
    return login_code_redeem(
        username=username, code=issued.code, password=password, at=clock.tick()
    )
