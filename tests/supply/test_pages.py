"""The supply pages: committees, depots, recipients and plans, through the Django test client as
the committee's members, its secretary, a counter of the control commission, a neighbourhood's
secretary, an outsider and a visitor.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from consejo.supply import services
from consejo.supply.models import Need, Plan, PlanStatus, PlanVote, Recipient, Route, StockCount
from tests.builders import SupplyScene, build_supply

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 60 * 1024


def en_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def plain(response: Any) -> str:
    """The page's text without its tags."""
    return re.sub(r"<[^>]+>", "", text(response))


def table_rows(body: str, css_class: str) -> list[list[str]]:
    """The body rows of the table of ``css_class``, each a list of its cells' plain text."""
    table = body.split(f'<table class="{css_class}">', 1)[1].split("</table>", 1)[0]
    table = table.split("</thead>", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def scene(operator: Any) -> SupplyScene:
    return build_supply(actor=operator)


def _propose(scene: SupplyScene) -> Plan:
    return services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)


# --- every page renders ---


def test_the_supply_index_lists_the_committee_and_the_items(scene: SupplyScene) -> None:
    page = en_client().get(reverse("supply"))
    assert page.status_code == 200
    body = text(page)
    assert scene.committee.name in body
    assert reverse("supply_committee", args=[scene.committee.slug]) in body
    assert "Garrafa 10 kg" in body
    # The commission has no depots of its own to allocate: it is not a supply committee.
    assert reverse("supply_committee", args=[scene.commission.slug]) not in body


def test_the_navigation_links_to_supply(client: Client) -> None:
    page = en_client().get(reverse("home"))
    assert f'href="{reverse("supply")}">Supply<' in page.content.decode()


def test_the_committee_page_shows_stock_recipients_by_tier_and_no_forms_to_a_visitor(
    scene: SupplyScene,
) -> None:
    page = en_client().get(reverse("supply_committee", args=[scene.committee.slug]))
    assert page.status_code == 200
    body = text(page)
    assert "Planta de Senkata" in body
    assert "100" in body  # the stock counted
    assert "Tier 1" in body
    assert "Tier 2" in body
    assert body.index("Posta de Senkata") < body.index("Barrio Senkata")
    assert "clinic or hospital" in body
    assert "neighborhood" in body
    assert "400 garrafas · Garrafa 10 kg" in body  # the barrio's need, its unit in the plural
    assert "Planta de Senkata (2)" in body  # its route and cost
    assert "Control Uno" not in body  # a visitor does not see who counted
    assert "Propose a plan" not in body
    assert "Register a recipient" not in body


def test_a_committee_member_sees_the_propose_button_and_the_secretary_the_forms(
    scene: SupplyScene,
) -> None:
    url = reverse("supply_committee", args=[scene.committee.slug])
    member = text(en_client(scene.members[1]).get(url))
    assert "Propose a plan" in member
    assert "Register a recipient" not in member
    secretary = text(en_client(scene.members[0]).get(url))
    assert "Propose a plan" in secretary
    for form in ("Register a recipient", "Set a route", "Register an item"):
        assert form in secretary
    assert "csrfmiddlewaretoken" in secretary


def test_unknown_committees_depots_recipients_and_plans_are_404_pages(scene: SupplyScene) -> None:
    client = en_client()
    for url in (
        "/supply/no-such-committee/",
        f"/supply/{scene.federation.neighborhood.slug}/",  # a body, but not a committee
        "/supply/depots/nowhere/",
        "/supply/recipients/nobody/",
        "/supply/plans/999/",
        "/supply/plans/999/input.json",
        "/supply/depots/BAD%20SLUG/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_depot_page_shows_the_stock_history_and_the_count_form_to_the_commission(
    scene: SupplyScene,
) -> None:
    url = reverse("supply_depot", args=[scene.depot.slug])
    visitor = en_client().get(url)
    assert visitor.status_code == 200
    assert "Record a count" not in text(visitor)
    assert "Control Uno" not in text(visitor)
    counter = text(en_client(scene.counter).get(url))
    assert "Record a count" in counter
    assert "counted by Control Uno" in counter
    assert "Record a count" not in text(en_client(scene.members[1]).get(url))


def test_the_recipient_page_shows_needs_and_the_need_form_to_its_own_secretary(
    scene: SupplyScene,
) -> None:
    url = reverse("supply_recipient", args=[scene.barrio.slug])
    visitor = text(en_client().get(url))
    assert "Register a need" not in visitor
    assert "400" in visitor
    assert "No plan is in force yet." in visitor
    junta = text(en_client(scene.junta).get(url))
    assert "Register a need" in junta
    assert "Junta Secretaria" in junta  # she registered it, and may see her own body's roster
    assert "Register a need" not in text(en_client(scene.members[0]).get(url))


# --- the forms ---


def test_a_commission_member_records_a_count_through_the_form(scene: SupplyScene) -> None:
    url = reverse("supply_stock_count", args=[scene.depot.slug])
    response = en_client(scene.counter).post(
        url, {"item": scene.gas.slug, "units": "250", "note": "after the convoy"}, follow=True
    )
    assert response.status_code == 200
    assert "Count recorded: 250 of Garrafa 10 kg." in messages_of(response)
    newest = StockCount.objects.filter(depot=scene.depot).order_by("-counted_at", "-pk").first()
    assert newest is not None
    assert newest.units == 250
    assert newest.note == "after the convoy"
    assert "after the convoy" in text(response)


@pytest.mark.parametrize("units", ["-5", "many", "", "1e3", "10000000000"])
def test_a_bad_count_is_a_message_and_nothing_is_recorded(scene: SupplyScene, units: str) -> None:
    before = StockCount.objects.count()
    response = en_client(scene.counter).post(
        reverse("supply_stock_count", args=[scene.depot.slug]),
        {"item": scene.gas.slug, "units": units, "note": "after the convoy"},
    )
    # The page again, with what was typed still in the form.
    assert response.status_code == 400
    [message] = messages_of(response)
    assert message.startswith("Units counted:")
    assert StockCount.objects.count() == before
    page = text(response)
    assert f'<option value="{scene.gas.slug}" selected>' in page
    assert 'value="after the convoy"' in page


def test_an_unknown_item_is_a_message(scene: SupplyScene) -> None:
    response = en_client(scene.counter).post(
        reverse("supply_stock_count", args=[scene.depot.slug]),
        {"item": "caviar", "units": "3"},
    )
    assert response.status_code == 400
    assert messages_of(response)[0].startswith("Item:")
    assert 'name="units" type="number" inputmode="numeric" min="0" required value="3"' in text(
        response
    )


def test_someone_outside_the_commission_cannot_count(scene: SupplyScene, outsider: Any) -> None:
    before = StockCount.objects.count()
    for user in (scene.members[0], outsider):
        response = en_client(user).post(
            reverse("supply_stock_count", args=[scene.depot.slug]),
            {"item": scene.gas.slug, "units": "1"},
        )
        assert response.status_code == 403
        assert "You may not count the stock of a depot" in text(response)
    assert StockCount.objects.count() == before


def test_a_visitor_is_sent_to_log_in_before_counting(scene: SupplyScene) -> None:
    response = en_client().post(
        reverse("supply_stock_count", args=[scene.depot.slug]),
        {"item": scene.gas.slug, "units": "1"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_recipients_secretary_registers_a_need_through_the_form(scene: SupplyScene) -> None:
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.barrio.slug]),
        {"item": scene.gas.slug, "units": "380"},
        follow=True,
    )
    assert "Need registered: 380 of Garrafa 10 kg." in messages_of(response)
    newest = Need.objects.filter(recipient=scene.barrio).order_by("-registered_at", "-pk").first()
    assert newest is not None
    assert newest.units == 380


def test_only_the_recipients_own_secretary_registers_its_needs(scene: SupplyScene) -> None:
    # The junta is the neighbourhood's secretary, not the clinic's (the mine's).
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.clinic.slug]), {"item": scene.gas.slug, "units": "5"}
    )
    assert response.status_code == 403
    assert "You may not register a recipient's needs" in text(response)
    assert Need.objects.filter(recipient=scene.clinic).count() == 1


@pytest.mark.parametrize("units", ["-1", "lots"])
def test_a_bad_need_is_a_message(scene: SupplyScene, units: str) -> None:
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.barrio.slug]),
        {"item": scene.gas.slug, "units": units},
    )
    assert response.status_code == 400
    assert messages_of(response)[0].startswith("Units needed:")
    assert f'<option value="{scene.gas.slug}" selected>' in text(response)
    assert Need.objects.filter(recipient=scene.barrio).count() == 1


def test_the_secretary_registers_a_recipient_and_sets_its_route(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    response = client.post(
        reverse("supply_recipient_new", args=[scene.committee.slug]),
        {
            "name": "Comedor Popular 8",
            "slug": "comedor-8",
            "kind": "kitchen",
            "body": scene.federation.neighborhood.slug,
            "tier": "2",
            "households": "",
            "latitude": "-16.5400",
            "longitude": "-68.2000",
        },
        follow=True,
    )
    assert "Comedor Popular 8 was registered." in messages_of(response)
    kitchen = Recipient.objects.get(slug="comedor-8")
    assert kitchen.latitude == Decimal("-16.54")
    assert kitchen.tier == 2
    assert "Comedor Popular 8" in text(response)

    response = client.post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": kitchen.slug, "cost": "3"},
        follow=True,
    )
    assert "Route set: Planta de Senkata → Comedor Popular 8, cost 3 per unit." in messages_of(
        response
    )
    assert Route.objects.get(recipient=kitchen).cost == 3


def test_recipient_refusals_are_messages(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_recipient_new", args=[scene.committee.slug])
    base = {
        "name": "Otra Posta",
        "slug": "otra-posta",
        "kind": "clinic",
        "body": scene.federation.mine.slug,
        "tier": "1",
    }
    cases = [
        ({"tier": "0"}, "Priority tier"),
        ({"tier": "uno"}, "Priority tier"),
        ({"households": "-3"}, "Households"),
        ({"body": "no-such-body"}, "no body called no-such-body"),
        ({"slug": "Bad Slug"}, "the short name must be"),
        ({"slug": scene.clinic.slug}, "a recipient called posta-senkata exists"),
        ({"latitude": "-16.5"}, "Give both the latitude and the longitude"),
        ({"latitude": "-96", "longitude": "1"}, "Latitude"),
    ]
    for change, expected in cases:
        response = client.post(url, {**base, **change})
        assert response.status_code == 400, change
        assert any(expected in m for m in messages_of(response)), (change, messages_of(response))
        # The form is open again with every field as typed: nothing to type twice on a phone.
        page = text(response)
        assert '<details class="card" open><summary>Register a recipient' in page
        assert 'value="Otra Posta"' in page
        assert '<option value="clinic" selected>' in page
        assert f'value="{({**base, **change})["body"]}"' in page
    assert not Recipient.objects.filter(slug="otra-posta").exists()


def test_a_plain_member_may_not_register_recipients_or_routes(scene: SupplyScene) -> None:
    client = en_client(scene.members[1])
    response = client.post(
        reverse("supply_recipient_new", args=[scene.committee.slug]),
        {"name": "X", "slug": "x", "kind": "clinic", "body": scene.federation.mine.slug, "tier": 1},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": scene.clinic.slug, "cost": "1"},
    )
    assert response.status_code == 403
    assert Route.objects.get(recipient=scene.clinic).cost == 1


@pytest.mark.parametrize("cost", ["-1", "cheap", "2000000"])
def test_a_bad_route_cost_is_a_message(scene: SupplyScene, cost: str) -> None:
    response = en_client(scene.members[0]).post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": scene.clinic.slug, "cost": cost},
        follow=True,
    )
    assert messages_of(response)[0].startswith("Cost per unit:")
    assert Route.objects.get(recipient=scene.clinic).cost == 1


def test_the_secretary_registers_an_item_and_a_duplicate_is_a_message(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_item_new", args=[scene.committee.slug])
    response = client.post(
        url, {"name": "Harina", "slug": "harina", "unit": "saco de 50 kg"}, follow=True
    )
    assert "Harina was registered." in messages_of(response)
    response = client.post(url, {"name": "Harina", "slug": "harina", "unit": "saco"}, follow=True)
    assert "an item called harina exists" in messages_of(response)[0]
    assert "Harina" in text(en_client().get(reverse("supply")))


# --- proposing and voting ---


def test_members_propose_and_vote_until_the_plan_is_approved(scene: SupplyScene) -> None:
    first, second, third = (en_client(user) for user in scene.members)
    response = second.post(reverse("supply_propose", args=[scene.committee.slug]), follow=True)
    plan = Plan.objects.get()
    assert response.redirect_chain[-1][0] == reverse("supply_plan", args=[plan.pk])
    assert "The plan was computed and put to the committee's vote." in messages_of(response)
    body = text(response)
    assert "proposed" in body
    assert "Abasto Dos" in body
    assert "Carried by 2 yes votes: more than half of the committee's 3 current members." in body
    assert 'value="yes"' in body

    vote = reverse("supply_plan_vote", args=[plan.pk])
    response = first.post(vote, {"choice": "yes"}, follow=True)
    assert "Your vote was recorded." in messages_of(response)
    assert "Abasto Uno: yes" in plain(response)
    assert "You have voted on this plan." in text(response)
    assert Plan.objects.get().status == PlanStatus.PROPOSED

    response = third.post(vote, {"choice": "yes"}, follow=True)
    assert "The plan is approved: it is the plan in force." in messages_of(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    body = text(response)
    assert "approved" in body
    assert "Abasto Tres: yes" in plain(response)
    assert 'value="yes"' not in body  # no more vote buttons

    committee = plain(en_client().get(reverse("supply_committee", args=[scene.committee.slug])))
    assert f"Plan in force: Plan {plan.pk}" in committee
    barrio = text(en_client().get(reverse("supply_recipient", args=[scene.barrio.slug])))
    assert "In the plan in force" in barrio
    assert "Planta de Senkata (70)" in barrio


def test_the_plan_page_shows_the_table_chart_totals_digests_and_ledger_entry(
    scene: SupplyScene,
) -> None:
    plan = _propose(scene)
    page = en_client().get(reverse("supply_plan", args=[plan.pk]))
    assert page.status_code == 200
    body = text(page)
    # 100 cylinders: the clinic (tier 1) gets its 30, the barrio (tier 2) the other 70 of 400.
    rows = table_rows(body, "plan")
    assert rows == [
        ["Tier 1"],
        ["Posta de Senkata Garrafa 10 kg · Planta de Senkata (30)", "30", "30", "100.0%"],
        ["Tier 2"],
        ["Barrio Senkata Garrafa 10 kg · Planta de Senkata (70)", "400", "70", "17.5%"],
    ]
    assert "17.5%" in body
    assert "Planta de Senkata (70)" in body
    assert body.count('class="got"') == 2  # one bar per tier and item
    assert "Tier 1 · Garrafa 10 kg" in body
    assert str(plan.total_cost) in body  # 30 x 1 + 70 x 2
    assert plan.total_cost == 170
    assert plan.problem_digest in body
    assert plan.result_digest in body
    assert f"#{plan.ledger_seq}" in body
    assert "Abasto Uno" not in body  # a visitor sees no names
    assert 'class="map"' not in body  # no coordinates, no map


def test_the_json_downloads_are_the_stored_input_and_output_and_match_the_digests(
    scene: SupplyScene,
) -> None:
    plan = _propose(scene)
    client = en_client()
    for which, stored, digest in (
        ("input", plan.problem, plan.problem_digest),
        ("output", plan.result, plan.result_digest),
    ):
        response = client.get(reverse(f"supply_plan_{which}", args=[plan.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert f"plan-{plan.pk}-{which}.json" in response["Content-Disposition"]
        assert json.loads(response.content) == stored
        assert hashlib.sha256(response.content).hexdigest() == digest


def test_the_map_shows_depots_recipients_and_shipments_where_coordinates_exist(
    operator: Any,
) -> None:
    scene = build_supply(actor=operator)
    kitchen = services.recipient_register(
        actor=operator,
        committee_id=scene.committee.pk,
        body_id=scene.federation.neighborhood.pk,
        slug="comedor-1",
        name="Comedor 1",
        kind="kitchen",
        tier=1,
        location=services.Place(Decimal("-16.55"), Decimal("-68.19")),
    )
    services.route_set(actor=operator, depot_id=scene.depot.pk, recipient_id=kitchen.pk, cost=1)
    services.need_register(actor=operator, recipient_id=kitchen.pk, item_id=scene.gas.pk, units=5)
    services.depot_create(
        actor=operator,
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="villa-ingenio",
        name="Villa Ingenio",
        location=services.Place(Decimal("-16.48"), Decimal("-68.17")),
    )
    plan = _propose(scene)
    body = text(en_client().get(reverse("supply_plan", args=[plan.pk])))
    assert 'class="map"' in body
    assert "<title>Villa Ingenio</title>" in body
    assert re.search(r'class="dest"', body)
    assert "h0" in body


def test_voting_twice_is_a_message_and_one_vote_is_kept(scene: SupplyScene) -> None:
    plan = _propose(scene)
    client = en_client(scene.members[0])
    vote = reverse("supply_plan_vote", args=[plan.pk])
    client.post(vote, {"choice": "no"})
    response = client.post(vote, {"choice": "yes"}, follow=True)
    assert response.status_code == 200
    assert "you have already voted on this plan" in messages_of(response)
    assert list(PlanVote.objects.values_list("choice", flat=True)) == ["no"]


def test_someone_outside_the_committee_cannot_vote_or_propose(
    scene: SupplyScene, outsider: Any
) -> None:
    plan = _propose(scene)
    for user in (outsider, scene.counter, scene.junta):
        client = en_client(user)
        response = client.post(reverse("supply_plan_vote", args=[plan.pk]), {"choice": "yes"})
        assert response.status_code == 403
        assert "You may not vote on this plan" in text(response)
        assert 'value="yes"' not in text(client.get(reverse("supply_plan", args=[plan.pk])))
        response = client.post(reverse("supply_propose", args=[scene.committee.slug]))
        assert response.status_code == 403
    assert PlanVote.objects.count() == 0
    assert Plan.objects.count() == 1


def test_a_bad_choice_is_a_message(scene: SupplyScene) -> None:
    plan = _propose(scene)
    response = en_client(scene.members[0]).post(
        reverse("supply_plan_vote", args=[plan.pk]), {"choice": "maybe"}, follow=True
    )
    assert "Choose yes, no or abstain." in messages_of(response)
    assert PlanVote.objects.count() == 0


def test_two_no_votes_reject_the_plan_and_voting_on_it_then_is_a_message(
    scene: SupplyScene,
) -> None:
    plan = _propose(scene)
    vote = reverse("supply_plan_vote", args=[plan.pk])
    en_client(scene.members[0]).post(vote, {"choice": "no"})
    response = en_client(scene.members[1]).post(vote, {"choice": "abstain"}, follow=True)
    assert "The plan can no longer be carried: it is rejected." in messages_of(response)
    response = en_client(scene.members[2]).post(vote, {"choice": "yes"}, follow=True)
    assert "this plan is no longer open to a vote" in messages_of(response)


def test_proposing_without_recipients_is_a_message(operator: Any) -> None:
    from consejo.bodies import services as bodies
    from consejo.bodies.models import BodyKind
    from tests.builders import build_small_federation, make_member

    federation = build_small_federation(actor=operator)
    empty = bodies.body_create(
        actor=operator,
        name="Comité vacío",
        slug="vacio",
        kind=BodyKind.COMMITTEE,
        parent_id=federation.council.pk,
    )
    member = make_member(actor=operator, body=empty, username="vacio-1")
    response = en_client(member).post(reverse("supply_propose", args=["vacio"]), follow=True)
    assert response.status_code == 200
    assert "has no depots or no recipients yet" in messages_of(response)[0]


def test_get_on_a_form_address_answers_with_the_page_it_belongs_to(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    committee = reverse("supply_committee", args=[scene.committee.slug])
    for name in ("supply_propose", "supply_recipient_new", "supply_route_new", "supply_item_new"):
        response = client.get(reverse(name, args=[scene.committee.slug]))
        assert (response.status_code, response["Location"]) == (302, committee), name
    response = client.get(reverse("supply_need", args=[scene.barrio.slug]), follow=True)
    assert response.status_code == 200
    assert scene.barrio.name in text(response)
    assert client.put(reverse("supply_propose", args=[scene.committee.slug])).status_code == 405


# --- size on a slow link ---


def test_pages_with_two_hundred_recipients_weigh_under_60_kb(operator: Any) -> None:
    scene = build_supply(actor=operator, stock=5000)
    for i in range(200):
        recipient = services.recipient_register(
            actor=operator,
            committee_id=scene.committee.pk,
            body_id=scene.federation.neighborhood.pk,
            slug=f"barrio-numero-{i:03d}",
            name=f"Barrio Número {i:03d} de El Alto",
            kind="neighborhood",
            tier=2 + i % 3,
            households=100 + i,
            location=services.Place(
                Decimal("-16.5") - Decimal(i % 20) / 100, Decimal("-68.2") + Decimal(i // 20) / 100
            ),
        )
        services.route_set(
            actor=operator, depot_id=scene.depot.pk, recipient_id=recipient.pk, cost=1 + i % 7
        )
        services.need_register(
            actor=operator, recipient_id=recipient.pk, item_id=scene.gas.pk, units=20 + i % 30
        )
    plan = _propose(scene)
    secretary = en_client(scene.members[0])
    for url in (
        reverse("supply"),
        reverse("supply_committee", args=[scene.committee.slug]),
        reverse("supply_depot", args=[scene.depot.slug]),
        reverse("supply_recipient", args=["barrio-numero-007"]),
        reverse("supply_plan", args=[plan.pk]),
    ):
        response = secretary.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < PAGE_LIMIT, (url, len(response.content))
    body = text(secretary.get(reverse("supply_plan", args=[plan.pk])))
    assert "Barrio Número 199 de El Alto" in body
    assert 'class="map"' in body


def test_the_secretary_sets_a_route_from_the_recipients_page(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_recipient", args=[scene.barrio.slug])
    assert "Set a route" in text(client.get(url))
    assert "Set a route" not in text(en_client(scene.junta).get(url))
    response = client.post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": scene.barrio.slug, "cost": "5", "next": url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "Route set: Planta de Senkata → Barrio Senkata, cost 5 per unit." in messages_of(
        response
    )
    assert Route.objects.get(recipient=scene.barrio).cost == 5


def test_a_route_to_an_unknown_recipient_or_elsewhere_is_a_message(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_route_new", args=[scene.committee.slug])
    response = client.post(
        url,
        {"depot": str(scene.depot.pk), "recipient": "nobody", "cost": "1", "next": "//evil.x/"},
    )
    assert "no recipient called nobody" in messages_of(response)
    # Not sent elsewhere: the committee's page again, the route form open with its input.
    assert response.status_code == 400
    assert 'value="nobody"' in text(response)
    assert '<details class="card" open><summary>Set a route' in text(response)


def test_votes_on_plans_are_rate_limited_per_person(scene: SupplyScene) -> None:
    plan = _propose(scene)
    client = en_client(scene.members[0])
    vote = reverse("supply_plan_vote", args=[plan.pk])
    statuses = [client.post(vote, {"choice": "maybe"}).status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert "Too many attempts" in text(client.post(vote, {"choice": "yes"}))
    assert PlanVote.objects.count() == 0


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_renders_in_both_languages(scene: SupplyScene, language: str) -> None:
    plan = _propose(scene)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(scene.members[0])
    for url in (
        reverse("supply"),
        reverse("supply_committee", args=[scene.committee.slug]),
        reverse("supply_depot", args=[scene.depot.slug]),
        reverse("supply_recipient", args=[scene.barrio.slug]),
        reverse("supply_plan", args=[plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()


def test_the_vote_of_someone_who_left_the_committee_is_shown_but_not_counted(
    operator: Any, scene: SupplyScene
) -> None:
    from consejo.bodies import services as bodies
    from consejo.bodies.models import Membership

    plan = _propose(scene)
    services.plan_vote(actor=scene.members[2], plan_id=plan.pk, choice="yes")
    gone = Membership.objects.get(body=scene.committee, member__user=scene.members[2])
    bodies.membership_end(actor=operator, membership_id=gone.pk)
    body = plain(en_client(scene.members[0]).get(reverse("supply_plan", args=[plan.pk])))
    assert "0 yes · 0 no · 0 abstain" in body
    assert "Abasto Tres: yes" in body
    assert "no longer a member: not counted" in body
    assert "Carried by 2 yes votes: more than half of the committee's 2 current members." in body


def test_the_need_and_count_forms_preselect_no_item(scene: SupplyScene) -> None:
    # A secretary's 3,100 went to whichever item sorted first: now she must choose one.
    services.item_create(actor=scene.members[0], slug="arroz", name="Arroz", unit="kg")
    for user, url in (
        (scene.junta, reverse("supply_recipient", args=[scene.barrio.slug])),
        (scene.counter, reverse("supply_depot", args=[scene.depot.slug])),
    ):
        page = text(en_client(user).get(url))
        assert 'name="item" required><option value="" selected>— choose the item —</option>' in page
        assert '<option value="arroz">' in page
        assert f'<option value="{scene.gas.slug}">' in page
    before = Need.objects.count()
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.barrio.slug]), {"units": "3100"}
    )
    assert response.status_code == 400
    assert messages_of(response)[0].startswith("Item:")
    assert 'min="0" required value="3100"' in text(response)
    assert Need.objects.count() == before


def test_a_committee_page_counts_its_members_and_claims_no_seats(scene: SupplyScene) -> None:
    response = Client().get(reverse("body", args=[scene.committee.slug]))
    words = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    # Its three members, elected to it: not "0 personas representadas".
    assert "3 miembros actuales" in words
    assert "personas representadas" not in words
    # Its council apportioned its seats among the bodies beneath it: none is waiting for it.
    assert "escaños aún no distribuidos" not in words
    assert "sin escaño: sus escaños se reparten entre otras organizaciones" in words
    # The tree counts it by its members too.
    tree = " ".join(re.sub(r"<[^>]+>", " ", Client().get("/bodies/").content.decode()).split())
    assert f"{scene.committee.name} comité · 3 miembros" in tree
