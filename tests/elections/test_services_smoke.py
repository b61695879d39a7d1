from __future__ import annotations

from typing import Any

import pytest

from consejo.elections import services
from consejo.elections.models import Ballot, Election, Voter
from consejo.mandates.models import Mandate
from tests.builders import build_running_election, build_small_federation

pytestmark = pytest.mark.django_db


def test_smoke(operator: Any, time_machine: Any) -> None:
    fed = build_small_federation(actor=operator)
    run = build_running_election(actor=operator, federation=fed, traveller=time_machine)
    ids = [c.pk for c in run.candidates]
    for i, user in enumerate(run.voters.values()):
        services.ballot_cast(actor=user, election_id=run.election.pk, choices=ids[i % 3 :][:3])
    assert Voter.objects.count() == 6
    assert Ballot.objects.filter(member__isnull=False).count() == 0
    time_machine.move_to(run.closes, tick=False)
    e = services.election_count(actor=run.secretary, election_id=run.election.pk)
    e = Election.objects.get(pk=e.pk)
    print(e.result)
    print(list(Mandate.objects.values_list("member__name", "role", "rank")))
