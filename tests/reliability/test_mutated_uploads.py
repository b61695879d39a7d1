"""Every upload of a file, fed spoilt files (tests/mutations.py): the roster import page and the
paper tally's BLT upload answer with a result or a message, never a 500, and a refused file
writes nothing at all (not a member, not a ballot, not a ledger entry).

The test client raises whatever a view lets escape, so an error that would be a 500 fails the
test with its traceback. Examples of one property share the test's database: each compares the
state after an upload with the state just before it.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given

from consejo.bodies.models import Membership
from consejo.elections import services
from consejo.elections.models import Ballot, Election
from consejo.elections.selectors import candidate_labels, standing_candidates
from consejo.ledger.models import LedgerEntry
from tests.builders import SmallFederation, build_small_federation, make_secretary
from tests.mutations import mutated

pytestmark = pytest.mark.django_db

ROSTER = (
    "Nombre;Sector;Teléfono\r\n"
    "José Ñusta Mamani;minero/a;+591 70000001\r\n"
    "Juana Quispe;trabajadora;\r\n"
    "Pedro Choque;vecino;70000002\r\n"
).encode("cp1252")


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)


@pytest.fixture
def secretary(operator: Any, federation: SmallFederation) -> Client:
    user = make_secretary(actor=operator, body=federation.neighborhood)
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)
    return client


@pytest.fixture
def paper_election(operator: Any, federation: SmallFederation) -> Election:
    """A paper STV election of the neighborhood, voting open, three candidates standing."""
    now = timezone.now()
    election = services.election_create(
        actor=operator,
        body_id=federation.neighborhood.pk,
        council_id=federation.council.pk,
        title="Delegados de Senkata",
        method="scottish-stv",
        mode="paper",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
    )
    members = Membership.objects.filter(
        body=federation.neighborhood, member__name__in=federation.neighborhood_names[:3]
    ).select_related("member")
    for membership in members:
        services.candidate_nominate(
            actor=operator, election_id=election.pk, member_id=membership.member.pk
        )
    return election


def state() -> tuple[int, int, int]:
    return (Membership.objects.count(), LedgerEntry.objects.count(), Ballot.objects.count())


def test_the_roster_import_answers_any_spoilt_file_and_a_refusal_writes_nothing(
    secretary: Client, federation: SmallFederation
) -> None:
    url = reverse("roster_import", args=[federation.neighborhood.slug])

    @given(data=mutated(ROSTER))
    @example(data=ROSTER.replace(b"70000002", b"9" * 5000))
    @example(data=ROSTER.replace(b"\r\n", b"\r\n" + b"[" * 100_000, 1))
    @example(data=ROSTER.replace(b"Juana", b"Ju\x00ana"))
    @example(data=ROSTER.decode("cp1252").encode("utf-16"))
    @example(data=ROSTER + "Iñaki;minero;\r\n".encode())
    def upload(data: bytes) -> None:
        before = state()
        file = SimpleUploadedFile("padron.csv", data, content_type="text/csv")
        response = secretary.post(url, {"file": file}, follow=True)
        assert response.status_code == 200
        messages = list(response.context["messages"])
        assert messages
        if messages[0].level_tag == "success":
            assert state()[0] > before[0]
        else:
            assert all(m.level_tag == "error" for m in messages)
            assert state() == before

    upload()


def blt_of(election: Election) -> bytes:
    names = candidate_labels(standing_candidates(election))
    quoted = "\n".join(f'"{name}"' for name in names)
    return f'3 2\n7 1 2 0\n4 3 0\n2 2 3 1 0\n0\n{quoted}\n"Senkata"\n'.encode()


def test_the_tally_upload_answers_any_spoilt_blt_file_and_a_refusal_writes_nothing(
    secretary: Client, paper_election: Election
) -> None:
    url = reverse("tally", args=[paper_election.pk])
    seed = blt_of(paper_election)

    @given(data=mutated(seed))
    @example(data=seed.replace(b"\n7 1 2 0", b"\n" + b"9" * 5000 + b" 1 2 0"))
    @example(data=seed.replace(b"3 2\n", b"3 " + b"9" * 5000 + b"\n"))
    @example(data=seed.replace(b"4 3 0", b"4 3 " + b"1" * 4301 + b" 0"))
    @example(data=seed.replace(b"\n0\n", b"\n" + b"[" * 100_000 + b"\n0\n"))
    @example(data=seed.replace(b"4 3 0", b"4 3\x00 0"))
    @example(data=seed.decode().encode("utf-16"))
    def upload(data: bytes) -> None:
        before = (LedgerEntry.objects.count(), sorted(Ballot.objects.values_list("weight")))
        file = io.BytesIO(data)
        file.name = "tally.blt"
        response = secretary.post(url, {"lines": "", "blt": file})
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert "errorlist" in response.content.decode()
            after = (LedgerEntry.objects.count(), sorted(Ballot.objects.values_list("weight")))
            assert after == before
        else:
            assert LedgerEntry.objects.count() == before[0] + 1

    upload()


def test_a_blt_upload_with_a_weight_of_5000_digits_is_a_message_in_spanish(
    secretary: Client, paper_election: Election
) -> None:
    names = candidate_labels(standing_candidates(paper_election))
    blt = "3 1\n" + "9" * 5000 + " 1 0\n0\n" + "".join(f'"{n}"\n' for n in names) + '"T"\n'
    file = io.BytesIO(blt.encode())
    file.name = "tally.blt"
    response = secretary.post(
        reverse("tally", args=[paper_election.pk]), {"lines": "", "blt": file}
    )
    assert response.status_code == 400
    assert (
        "línea 2: un número de 5000 cifras es demasiado grande (como mucho 15 cifras)"
        in response.content.decode()
    )
    assert not Ballot.objects.exists()


def test_typed_tally_lines_that_add_up_beyond_a_database_integer_are_refused(
    secretary: Client, paper_election: Election
) -> None:
    # 300 lines of 10,000,000 for the same ballot: each line is allowed, their sum is 3e9, more
    # than PostgreSQL's integer column holds.
    lines = "10000000: 1 2\n" * 300
    response = secretary.post(reverse("tally", args=[paper_election.pk]), {"lines": lines})
    assert response.status_code == 400
    assert not Ballot.objects.exists()


@pytest.fixture
def closed_box(operator: Any, time_machine: Any) -> Any:
    """A secret election with three ballots, closed and mixed: its trustees may decrypt."""
    from tests.builders import build_running_election

    federation = build_small_federation(actor=operator)
    run = build_running_election(actor=operator, federation=federation, traveller=time_machine)
    keys = [c.pk for c in run.candidates]
    for n, user in enumerate(list(run.voters.values())[3:6]):
        services.ballot_cast(actor=user, election_id=run.election.pk, choices=keys[n:])
    time_machine.move_to(run.closes + timedelta(minutes=1), tick=False)
    services.election_close(actor=run.secretary, election_id=run.election.pk)
    return run


def _decrypt_step(run: Any) -> bytes:
    import json

    from consejo.boxes import ceremony

    return json.dumps(ceremony.step_file(run.box, 1, run.seeds[1], "decrypt")).encode()


STEP = (
    b'{"format": "consejo-trustee-step/1", "box": "0123456789abcdef0123456789abcdef", '
    b'"trustee": 1, "step": "decrypt", "count": 2, "images": "'
    + b"4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2Ntqqw5eCNLXZqSTIQ90mc0X/stRCuDOojoRDo1bkB+KytMAlcc6O5GQ=="
    + b'", "proof": "'
    + b"00" * 64
    + b'"}'
)


def test_a_spoilt_step_file_is_a_message_and_writes_at_most_the_step(closed_box: Any) -> None:
    from consejo.boxes.models import PartialDecryption

    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(closed_box.trustees[1])
    url = reverse("box_step", args=[closed_box.box.reference])
    seed = STEP.replace(b"0123456789abcdef0123456789abcdef", closed_box.box.reference.encode())

    @given(data=mutated(seed))
    def upload(data: bytes) -> None:
        before = LedgerEntry.objects.count()
        response = client.post(url, {"file": SimpleUploadedFile("paso.json", data)})
        assert response.status_code == 302
        written = LedgerEntry.objects.count() - before
        assert written in (0, 1)
        if written:  # still a decryption after the spoiling: recorded and named as failing
            assert not PartialDecryption.objects.get(trustee__box=closed_box.box).valid

    upload()
    # The trustee's real step is still taken afterwards.
    good = _decrypt_step(closed_box)
    response = client.post(url, {"file": SimpleUploadedFile("paso.json", good)}, follow=True)
    assert PartialDecryption.objects.get(trustee__box=closed_box.box).valid, response.content[:300]
