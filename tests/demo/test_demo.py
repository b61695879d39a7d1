"""The demo scenario (El Alto, June 2005) loads through the services and leaves a whole ledger.

The demo is loaded once for the module, by the ``consejo demo`` command, inside an outer transaction
that is rolled back at the end, so the other test modules still start from an empty database.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from consejo.bodies.authority import is_secretary
from consejo.bodies.models import (
    Apportionment,
    Body,
    BodyKind,
    Federation,
    Membership,
    MembershipRole,
)
from consejo.boxes.models import Box
from consejo.core.errors import Conflict
from consejo.core.ledger import parse_instant
from consejo.demo.scenario import DEMO_LOGINS, NATIONAL, load_demo
from consejo.elections.models import BallotMode, Election
from consejo.elections.selectors import election_state
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_head_get, ledger_verify
from consejo.mandates.models import Mandate, MandateRole
from tests.builders import loaded_demo

pytestmark = pytest.mark.django_db

LA_PAZ = ZoneInfo("America/La_Paz")


@pytest.fixture(scope="module")
def demo_output(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """Run ``consejo demo`` once; roll everything back after the module's tests."""
    yield from loaded_demo(django_db_blocker, lambda output: output)


def test_the_demo_loads_bodies_councils_and_rosters(demo_output: str) -> None:
    bodies = Body.objects.count()
    councils = Body.objects.filter(kind=BodyKind.COUNCIL)
    assert 25 <= bodies <= 45
    assert {c.level for c in councils} == {"district", "city", "sector", "national"}
    assert Body.objects.get(slug=NATIONAL).level == "national"
    assert 10_000 <= Membership.objects.count() <= 20_000
    assert f"{bodies} bodies" in demo_output


def test_the_ledger_verifies_after_the_demo(demo_output: str) -> None:
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)
    assert ledger_head_get()[0] == LedgerEntry.objects.count()
    assert f"{LedgerEntry.objects.count()} ledger entries" in demo_output


def test_every_instant_is_in_june_2005_and_in_order_but_the_open_election(
    demo_output: str,
) -> None:
    stored = LedgerEntry.objects.order_by("seq").values_list("at", "kind", "payload")
    instants = [parse_instant(at) for at, _kind, _payload in stored]
    assert instants == sorted(instants)
    assert instants[0] >= datetime(2005, 6, 1, tzinfo=LA_PAZ)
    live = Election.objects.get(mode=BallotMode.SECRET)
    recent = [
        (kind, payload)
        for (_at, kind, payload), when in zip(stored, instants, strict=True)
        if when >= datetime(2005, 6, 12, tzinfo=LA_PAZ)
    ]
    # After June 2005 only the call of the open election, its nominations and its box's key
    # ceremony (five trustees, three steps each).
    box = Box.objects.get(purpose=f"election:{live.pk}")
    ceremony = {"box.prepared", "trustee.committed", "trustee.shared", "trustee.confirmed"}
    assert {kind for kind, _payload in recent} == {
        "election.called",
        "candidate.nominated",
        "box.keyed",
        *ceremony,
    }
    for kind, payload in recent:
        data = json.loads(payload)
        if kind.startswith(("box.", "trustee.")):
            assert data["box"] == box.reference
        else:
            assert data["election"] == live.pk
    assert box.keyed_at is not None
    assert (box.threshold, box.trustees.count()) == (3, 5)
    starts = Membership.objects.values_list("start", flat=True)
    assert min(starts) >= instants[0]


def test_every_council_with_seats_has_an_apportionment_whose_seats_add_up(
    demo_output: str,
) -> None:
    councils = Body.objects.filter(kind=BodyKind.COUNCIL)
    methods = set()
    for council in councils:
        assert council.apportionment_method, f"{council.slug} has no seats configured"
        methods.add(council.apportionment_method)
        record = council.apportionments.latest()
        rows = list(record.rows.all())
        assert sum(row.seats for row in rows) == record.seats
        if council.seats is not None:  # the ratio method sizes the council from the members
            assert record.seats == council.seats
        assert all(row.seats >= council.min_seats for row in rows)
        # Every body linked below sends delegates, but the council's committees (its organs).
        linked = set(
            Federation.objects.filter(parent=council)
            .exclude(body__kind=BodyKind.COMMITTEE)
            .values_list("body_id", flat=True)
        )
        assert {row.body_id for row in rows} == linked
    assert methods == {"dhondt", "sainte-lague", "hamilton", "huntington-hill", "ratio"}


def test_some_bodies_send_delegates_to_two_councils(demo_output: str) -> None:
    two = (
        Federation.objects.filter(end__isnull=True)
        .values("body")
        .annotate(n=Count("parent"))
        .filter(n__gte=2)
    )
    assert two.count() >= 3
    senkata = Body.objects.get(slug="senkata-planta")
    parents = set(senkata.parent_links.values_list("parent__slug", flat=True))
    assert parents == {"cor-el-alto", "fstpb"}


def test_loading_twice_is_refused(demo_output: str) -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(Conflict, match="already holds bodies"):
        load_demo()
    with pytest.raises(CommandError, match="already holds bodies") as refused:
        call_command("demo", stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert LedgerEntry.objects.count() == before


def test_demo_if_empty_says_it_is_there_and_prints_the_logins(demo_output: str) -> None:
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()
    for login in DEMO_LOGINS:
        assert f"{login.username}  " in out.getvalue()
        assert login.password in out.getvalue()


def test_the_demo_writes_its_trustees_cards_which_match_the_box(
    demo_output: str, tmp_path: Path
) -> None:
    from consejo.boxes.selectors import box_file
    from consejo.core.sealed import card, files, steps

    call_command("demo", "--if-empty", cards=str(tmp_path), stdout=io.StringIO())
    live = Election.objects.get(mode=BallotMode.SECRET)
    box = Box.objects.get(purpose=f"election:{live.pk}")
    view = files.read_box(box_file(box))
    for i in range(1, 6):
        reference, index, seed = card.read_card(
            (tmp_path / f"tarjeta-{i}.txt").read_text().split("\n")[0]
        )
        assert (reference, index) == (box.reference, i)
        steps.check_card(view, i, seed)  # the card gives back the commitment the box holds
        assert "<svg" in (tmp_path / f"tarjeta-{i}.html").read_text()
        # The words of docs/demo.md are the same card.
        assert (
            " ".join(card.words(seed))
            in (Path(__file__).resolve().parents[2] / "docs" / "demo.md").read_text()
        )


def test_the_demo_logins_work(demo_output: str, client: object) -> None:
    for login in DEMO_LOGINS:
        assert client.login(username=login.username, password=login.password), login.username  # type: ignore[attr-defined]
        assert login.password in demo_output


def test_every_login_the_demo_creates_is_printed_and_in_docs_demo_md(
    demo_output: str, django_user_model: object
) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "demo.md").read_text()
    usernames = set(django_user_model.objects.values_list("username", flat=True))  # type: ignore[attr-defined]
    assert usernames == {login.username for login in DEMO_LOGINS}
    for login in DEMO_LOGINS:
        assert f"| `{login.username}` " in docs, login.username
        assert f"`{login.password}`" in docs, login.username


def test_the_secretaries_are_secretaries_and_the_neighbor_is_not(
    demo_output: str, django_user_model: object
) -> None:
    users = {u.username: u for u in django_user_model.objects.all()}  # type: ignore[attr-defined]
    at = datetime(2005, 6, 9, 12, tzinfo=LA_PAZ)
    assert users["admin"].is_superuser
    assert users["admin"].is_staff
    assert is_secretary(users["senkata"], Body.objects.get(slug="senkata-planta"), at)
    assert is_secretary(users["villa-ingenio"], Body.objects.get(slug="jv-villa-ingenio"), at)
    assert is_secretary(users["el-alto"], Body.objects.get(slug="asamblea-el-alto"), at)
    vecina = Membership.objects.get(member__user=users["vecina"])
    assert vecina.body.slug == "jv-villa-ingenio"
    assert not is_secretary(users["vecina"], vecina.body, at)
    assert vecina.role == MembershipRole.MEMBER
    assert not users["vecina"].is_staff


def test_the_base_assemblies_elected_their_secretaries_who_hold_office_by_mandate(
    demo_output: str,
) -> None:
    offices = Mandate.objects.filter(office="secretary", end__isnull=True)
    assert {(m.council.slug, m.member.user.username, m.provisional) for m in offices} == {
        ("senkata-planta", "senkata", False),
        ("jv-villa-ingenio", "villa-ingenio", False),
        # A council and its committee elect their officers from their delegates, once they sit:
        # until then the operator appointed their secretary, recorded as provisional.
        ("asamblea-el-alto", "el-alto", True),
        ("abastecimiento-el-alto", "el-alto", True),
    }
    for office in offices:
        assert office.constituency == office.council
        assert office.origin.startswith("membership:" if office.provisional else "election:")


def test_the_federation_is_seated_upward_to_the_national_assembly(demo_output: str) -> None:
    national = Body.objects.get(slug="asamblea-popular-nacional")
    seats = Mandate.objects.filter(
        council=national, role=MandateRole.DELEGATE, office="", end__isnull=True
    )
    assert seats.count() == 60  # every seat apportioned on 8 June
    for seat in seats.select_related("constituency"):
        # Each national seat is held through a seat in the council below, and so on, down to a
        # seat given by a base body, each held by the same person.
        step, levels = seat, 0
        while step.derives_from is not None:
            below = step.derives_from
            assert below.member_id == seat.member_id
            assert below.council_id == step.constituency_id
            assert below.end is None
            assert below.role == MandateRole.DELEGATE
            step, levels = below, levels + 1
        assert 1 <= levels <= 3
        assert not step.constituency.is_council
    district_4 = Body.objects.get(slug="distrito-4")
    assert Mandate.objects.filter(
        council__slug="asamblea-el-alto", constituency=district_4, end__isnull=True
    ).exists()


def test_two_assemblies_elected_their_delegates_on_9_june(demo_output: str) -> None:
    # The two assemblies whose secretaries entered their own ballots (the operator entered the
    # others', test_the_federation_is_seated_upward_to_the_national_assembly).
    counted = {
        e.body.slug: e
        for e in Election.objects.filter(counted_at__isnull=False, office="").exclude(
            created_by__is_superuser=True
        )
    }
    assert set(counted) == {"jv-villa-ingenio", "senkata-planta"}
    villa, senkata = counted["jv-villa-ingenio"], counted["senkata-planta"]
    assert (villa.method, villa.seats, villa.council.slug) == ("scottish-stv", 3, "distrito-4")
    assert (senkata.method, senkata.seats, senkata.council.slug) == ("plurality", 3, "fstpb")
    assert 200 <= villa.result["valid_ballots"] <= 500  # a few hundred ballots
    assert len(villa.result["rounds"]) > 2  # transfers happened: a count worth reading
    for election in (villa, senkata):
        seated = Mandate.objects.filter(origin=f"election:{election.pk}", end__isnull=True)
        delegates = seated.filter(role=MandateRole.DELEGATE).order_by("rank")
        assert [m.member.name for m in delegates] == election.result["elected"]
        substitutes = seated.filter(role=MandateRole.SUBSTITUTE).order_by("rank")
        runners_up = election.result["order_of_merit"][3:]
        assert [m.member.name for m in substitutes] == runners_up[: election.substitutes]


def test_an_election_is_open_now_and_the_demo_member_can_vote(demo_output: str) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    live = Election.objects.get(counted_at__isnull=True)
    vecina = get_user_model().objects.get(username="vecina")
    view = election_state(election=live, actor=vecina, at=timezone.now())
    assert view.phase.value == "voting"
    assert view.may_vote
    assert len(view.standing) == 5


def test_the_supply_committee_approved_a_plan_for_the_senkata_gas(demo_output: str) -> None:
    from consejo.core.allocation import allocate, read_json, to_json
    from consejo.core.ledger import json_digest as digest
    from consejo.supply.models import Plan, PlanStatus, PlanVote

    plan = Plan.objects.get()
    assert plan.status == PlanStatus.APPROVED
    assert PlanVote.objects.filter(plan=plan, choice="yes").count() == 3  # of 5 members
    stock = {d["id"]: d["stock"]["garrafa-10kg"] for d in plan.problem["depots"]}
    assert stock["planta-senkata"] == 20_000
    # The plan approved is the solver's answer to the figures stored with it.
    assert to_json(allocate(read_json(json.dumps(plan.problem)))) == plan.result
    assert digest(plan.result) == plan.result_digest
    deliveries = plan.result["deliveries"]
    clinics = [d for d in deliveries if d["tier"] == 1]
    assert clinics
    assert all(d["units"] == d["need"] for d in clinics)  # clinics first, in full
    barrios = [d for d in deliveries if d["tier"] == 4]
    assert all(d["units"] < d["need"] for d in barrios)  # not enough gas for every household
    # The committee is the assembly's organ, not a constituent: it holds no seats.
    assert not Apportionment.objects.filter(rows__body__slug="abastecimiento-el-alto").exists()


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_ledger_payload_names_a_person_or_a_login(demo_output: str) -> None:
    # docs/privacy.md: a copy of the ledger given to a witness must not double as a roster.
    from django.contrib.auth import get_user_model

    from consejo.bodies.models import Member

    names = set(Member.objects.values_list("name", flat=True))
    slugs = set(Body.objects.values_list("slug", flat=True))
    logins = set(get_user_model().objects.values_list("username", flat=True)) - slugs
    assert len(names) > 100
    assert logins
    found = []
    for entry in LedgerEntry.objects.order_by("seq").only("seq", "kind", "payload"):
        for text in _strings(json.loads(entry.payload)):
            if text in names or text in logins:
                found.append((entry.seq, entry.kind, text))
    assert found == []
