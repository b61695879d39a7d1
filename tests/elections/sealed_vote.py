"""A secret election to attack, for the sealed-box tests: its trustees, their key ceremony (or
not yet), four candidates standing, and voters casting, closing, decrypting and counting on the
frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from consejo.bodies.models import Member
from consejo.boxes import ceremony
from consejo.boxes.models import Box
from consejo.elections import services
from consejo.elections.models import Election
from tests.builders import (
    SmallFederation,
    key_ceremony,
    make_member,
    make_secretary,
    trustee_logins,
    trustee_members,
)
from tests.elections.instants import CLOSES, OPENS


class Vote:
    """A secret election with trustees and candidates, voting open."""

    def __init__(
        self,
        operator: Any,
        fed: SmallFederation,
        clock: Callable[[datetime], datetime],
        *,
        trustees: int = 3,
        threshold: int | None = None,
        ceremony_done: bool = True,
    ) -> None:
        self.operator, self.fed, self.clock = operator, fed, clock
        self.secretary = make_secretary(
            actor=operator, body=fed.neighborhood, username="sec-senkata"
        )
        self.logins = trustee_logins(actor=operator, body=fed.neighborhood, count=trustees)
        self.election = services.election_create(
            actor=self.secretary,
            body_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            title="Delegados de Senkata",
            method="scottish-stv",
            mode="secret",
            opens_at=OPENS,
            closes_at=CLOSES,
            trustee_ids=[m.pk for m in trustee_members(self.logins)],
            threshold=threshold,
        )
        self.box = Box.objects.get(purpose=f"election:{self.election.pk}")
        self.seeds: dict[int, bytes] = {}
        if ceremony_done:
            self.seeds = key_ceremony(self.election, self.logins)
        standing = [Member.objects.get(name=n) for n in fed.neighborhood_names[:4]]
        self.keys = [
            services.candidate_nominate(
                actor=self.secretary, election_id=self.election.pk, member_id=m.pk
            ).pk
            for m in standing
        ]
        self.voters = 0

    def cast(self, choices: list[int]) -> str | None:
        self.voters += 1
        self.clock(OPENS + timedelta(minutes=self.voters))
        user = make_member(
            actor=self.operator,
            body=self.fed.neighborhood,
            username=f"votante-{self.voters}",
            name=f"Votante {self.voters:03d}",
        )
        return services.ballot_cast(actor=user, election_id=self.election.pk, choices=choices)

    def close(self) -> None:
        self.clock(CLOSES + timedelta(minutes=1))
        services.election_close(actor=self.secretary, election_id=self.election.pk)
        self.box.refresh_from_db()

    def decrypt(self, *indices: int) -> None:
        ceremony.decrypt(self.box, self.logins, self.seeds, indices)

    def count(self) -> Election:
        return services.election_count(actor=self.secretary, election_id=self.election.pk)
