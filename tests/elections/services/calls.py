"""Elections called and candidates standing, through the services, as the service tests set
them up: a secret election gets three trustees with logins and its key ceremony at once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from consejo.bodies.models import Member
from consejo.elections import services
from consejo.elections.models import Election
from tests.builders import SmallFederation, key_ceremony, trustee_logins, trustee_members
from tests.elections.instants import CLOSES, OPENS


def call(actor: Any, fed: SmallFederation, **fields: Any) -> Election:
    values: dict[str, Any] = {
        "body": fed.neighborhood,
        "council": fed.council,
        "title": "Delegados de Senkata al Consejo",
        "method": "scottish-stv",
        "mode": "secret",
        "opens_at": OPENS,
        "closes_at": CLOSES,
    }
    values.update(fields)
    logins = {}
    if values["mode"] == "secret" and "trustees" not in values:
        operator = get_user_model().objects.filter(is_superuser=True).first()
        logins = trustee_logins(actor=operator, body=values["body"])
        values["trustees"] = trustee_members(logins)
    body, council = values.pop("body"), values.pop("council")
    trustees = values.pop("trustees", ())
    election = services.election_create(
        actor=actor,
        body_id=body.pk,
        council_id=council.pk,
        trustee_ids=[m.pk for m in trustees],
        **values,
    )
    if logins:
        key_ceremony(election, logins)
    return election


def stand(actor: Any, election: Election, *members: Member) -> list[int]:
    """Nominate ``members`` as ``actor`` (the secretary: they stand at once); candidate keys."""
    return [
        services.candidate_nominate(actor=actor, election_id=election.pk, member_id=m.pk).pk
        for m in members
    ]
