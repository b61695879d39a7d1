"""The issue's test, on the demo itself: a copy of the demo's database taken while its secret
election is open holds no plaintext of any ballot, in any table or column; the count needs
three of its five trustees' partial decryptions, each checked."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from consejo.boxes import ceremony
from consejo.boxes.models import Box
from consejo.core.errors import Conflict
from consejo.demo.elections import demo_card_seed
from consejo.elections import services
from consejo.elections.models import Ballot, BallotMode, Election
from consejo.elections.selectors import election_reference, standing_candidates
from tests.elections.test_sealed_box import database_dump, plaintext_forms

pytestmark = pytest.mark.django_db


def test_the_demos_open_election_leaves_no_plaintext_and_counts_with_three_trustees(
    time_machine: Any,
) -> None:
    call_command("demo", stdout=io.StringIO())
    election = Election.objects.get(mode=BallotMode.SECRET)
    box = Box.objects.get(purpose=election_reference(election))
    keys = [c.pk for c in standing_candidates(election)]
    users = get_user_model().objects
    voters = ["vecina", "custodio-1", "custodio-2", "custodio-3", "custodio-4", "custodio-5"]
    cast = [
        [keys[3], keys[1], keys[0]],
        [keys[0], keys[4], keys[2], keys[1]],
        [keys[2], keys[0], keys[4]],
        [keys[4], keys[3], keys[1], keys[2], keys[0]],
        [keys[1], keys[2], keys[3]],
        [keys[0], keys[3], keys[2]],
    ]
    for username, choices in zip(voters, cast, strict=True):
        services.ballot_cast(
            actor=users.get(username=username), election_id=election.pk, choices=choices
        )
    dump = database_dump()
    for choices in cast:
        for form in plaintext_forms(choices):
            assert form not in dump, form

    time_machine.move_to(election.closes_at + timedelta(minutes=1), tick=False)
    secretary = users.get(username="villa-ingenio")
    services.election_close(actor=secretary, election_id=election.pk)
    logins = {i: users.get(username=f"custodio-{i}") for i in range(1, 6)}
    seeds = {i: demo_card_seed(i) for i in logins}
    ceremony.decrypt(box, logins, seeds, [2, 4])
    with translation.override("en"), pytest.raises(Conflict, match="waiting for trustees 1, 3, 5"):
        services.election_count(actor=secretary, election_id=election.pk)
    ceremony.decrypt(box, logins, seeds, [5])
    counted = services.election_count(actor=secretary, election_id=election.pk)
    assert counted.counted_at is not None
    assert counted.counted_at > timezone.now() - timedelta(minutes=5)
    rows = Ballot.objects.filter(election=election).values_list("choices", "weight")
    assert sorted(tuple(c) for c, w in rows for _ in range(w)) == sorted(map(tuple, cast))
