"""The box's pages as people use them: a trustee sees their next step and brings it, everyone
else sees the trustees and the published list; mistakes are messages, never errors."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from consejo.boxes.models import PartialDecryption, Trustee
from consejo.ledger.models import LedgerEntry
from tests.builders import RunningElection, build_running_election, build_small_federation

pytestmark = pytest.mark.django_db


def en_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def run(operator: Any, time_machine: Any) -> RunningElection:
    federation = build_small_federation(actor=operator)
    return build_running_election(actor=operator, federation=federation, traveller=time_machine)


def test_a_trustee_with_nothing_to_do_sees_no_form_and_others_see_the_trustees(
    run: RunningElection,
) -> None:
    url = reverse("box", args=[run.box.reference])
    mine = en_client(run.trustees[1]).get(url)
    assert "You are trustee 1" in text(mine)
    assert "The election key is complete." in text(mine)
    assert "Bring this step" not in text(mine)
    plain = en_client(run.voters["votante-6"]).get(url)
    assert "You are trustee" not in text(plain)
    assert "Bring this step" not in text(plain)
    names = [t.member.name for t in Trustee.objects.filter(box=run.box)]
    assert all(name in text(plain) for name in names)  # office holders, to federation members
    anonymous = en_client().get(url)
    assert anonymous.status_code == 200
    assert not any(name in text(anonymous) for name in names)
    assert en_client().get(reverse("box", args=["0" * 32])).status_code == 404


def test_a_step_brought_wrong_is_a_message_and_writes_nothing(
    run: RunningElection, time_machine: Any
) -> None:
    time_machine.move_to(run.closes, tick=False)
    from consejo.elections import services

    services.election_close(actor=run.secretary, election_id=run.election.pk)
    client = en_client(run.trustees[2])
    url = reverse("box_step", args=[run.box.reference])
    before = LedgerEntry.objects.count()
    for data, message in (
        ({"text": ""}, "choose the step's file, or paste its text"),
        ({"text": "{not json"}, "not JSON"),
        ({"text": json.dumps({"format": "consejo-trustee-step/1"})}, "reference cannot be read"),
    ):
        response = client.post(url, data, follow=True)
        assert any(message in m for m in messages_of(response)), messages_of(response)
    stranger = en_client(run.voters["votante-6"]).post(
        url,
        {
            "text": json.dumps(
                {
                    "format": "consejo-trustee-step/1",
                    "box": run.box.reference,
                    "trustee": 2,
                    "step": "decrypt",
                    "count": 1,
                    "images": "",
                    "proof": "00" * 64,
                }
            )
        },
        follow=True,
    )
    assert messages_of(stranger)
    assert LedgerEntry.objects.count() == before
    assert not PartialDecryption.objects.exists()
    # A reloaded or shared address of the form goes back to the page.
    assert client.get(url).status_code == 302


def test_the_published_list_finds_a_tracker_by_its_first_characters(
    run: RunningElection,
) -> None:
    from consejo.elections import services

    keys = [c.pk for c in run.candidates]
    tracker = services.ballot_cast(
        actor=run.voters["votante-5"], election_id=run.election.pk, choices=keys[:2]
    )
    assert tracker is not None
    url = reverse("box_trackers", args=[run.box.reference])
    page = en_client().get(url)
    assert tracker[:16] in text(page)
    assert "Found:" in text(en_client().get(url, {"q": tracker[:8]}))
    assert "Write at least 8 characters." in text(en_client().get(url, {"q": tracker[:7]}))
    assert "No sealed ballot has this tracker." in text(
        en_client().get(url, {"q": "f" * 8 if not tracker.startswith("ffff") else "0" * 8})
    )
    assert "<script" not in text(en_client().get(url, {"q": "<script>"}))
