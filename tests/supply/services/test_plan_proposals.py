"""Proposing a plan (consejo.supply.services.plans.plan_propose), on SQLite and on PostgreSQL: the
solver's input read from a committee's newest figures (consejo.supply.selectors.committee_problem),
its digest, and the plan proposed from it, which is the solver's answer to that frozen input; who
may propose, and when there is nothing to plan.

The scene, the other committee and the checks after each test are in this package's conftest.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from consejo.bodies.models import Body
from consejo.core import allocation as solver
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.core.ledger import json_digest
from consejo.ledger.models import LedgerEntry
from consejo.supply import services
from consejo.supply.models import Plan, PlanStatus, StockCount
from consejo.supply.selectors import committee_problem
from tests.builders import SupplyScene, propose_from_new_figures
from tests.supply.services.records import snapshot
from tests.supply.services.steps import T0, end_membership, propose, register

pytestmark = pytest.mark.django_db


def canonical_sha256(value: object) -> str:
    """SHA-256 of RFC 8785 JSON, for values of strings, integers, lists and objects only."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the solver's input ----------------------------------------------------------------------


SCENE_PROBLEM = {
    "items": [{"id": "gas-10kg", "unit": "garrafa"}],
    "depots": [{"id": "planta-senkata", "stock": {"gas-10kg": 100}}],
    "recipients": [
        {
            "id": "barrio-senkata",
            "tier": 2,
            "need": {"gas-10kg": 400},
            "routes": [{"depot": "planta-senkata", "cost": 2}],
        },
        {
            "id": "posta-senkata",
            "tier": 1,
            "need": {"gas-10kg": 30},
            "routes": [{"depot": "planta-senkata", "cost": 1}],
        },
    ],
}


def test_the_problem_holds_the_committees_figures_sorted_by_short_name(
    scene: SupplyScene,
) -> None:
    assert committee_problem(scene.committee) == SCENE_PROBLEM


def test_the_newest_count_and_the_newest_need_are_the_figures(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=250
    )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=380
    )
    clock(timedelta(hours=2))
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=60
    )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=350
    )
    # Two more at the very same instant: the one recorded last is the figure.
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=55
    )
    problem = committee_problem(scene.committee)
    assert problem["depots"] == [{"id": "planta-senkata", "stock": {"gas-10kg": 55}}]
    assert problem["recipients"][0]["need"] == {"gas-10kg": 350}
    assert StockCount.objects.filter(depot=scene.depot).count() == 4  # older counts stay


def test_a_need_brought_to_0_leaves_the_problem_as_if_never_registered(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=0
    )
    problem = committee_problem(scene.committee)
    [barrio] = [r for r in problem["recipients"] if r["id"] == "barrio-senkata"]
    assert barrio["need"] == {}
    # The same figures as a barrio that never registered a need of gas.
    never = json.loads(json.dumps(SCENE_PROBLEM))
    never["recipients"][0]["need"] = {}
    assert problem == never
    assert json_digest(problem) == json_digest(never)


def test_items_with_no_stock_and_no_need_are_left_out(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    flour = services.item_create(actor=operator, slug="harina", name="Harina", unit="quintal")
    services.item_create(actor=operator, slug="arroz", name="Arroz", unit="kg")  # never counted
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=flour.pk, units=0
    )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=flour.pk, units=0
    )
    assert committee_problem(scene.committee) == SCENE_PROBLEM
    # Stock without a need is still input (it shows in the remainders).
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=flour.pk, units=8
    )
    problem = committee_problem(scene.committee)
    assert [i["id"] for i in problem["items"]] == ["gas-10kg", "harina"]
    assert problem["depots"][0]["stock"] == {"gas-10kg": 100, "harina": 8}
    assert problem["recipients"][0]["need"] == {"gas-10kg": 400}


def test_the_order_of_registration_does_not_change_the_problem(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    # A depot and a recipient whose slugs sort first, registered last.
    ventilla = services.depot_create(
        actor=operator,
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="almacen-ventilla",
        name="Zz Almacén",
    )
    services.route_set(actor=operator, depot_id=ventilla.pk, recipient_id=scene.clinic.pk, cost=3)
    kitchen = register(operator, scene, slug="a-comedor", name="Zz Comedor", tier=1)
    services.route_set(actor=operator, depot_id=ventilla.pk, recipient_id=kitchen.pk, cost=1)
    services.route_set(actor=operator, depot_id=scene.depot.pk, recipient_id=kitchen.pk, cost=1)
    # Another committee's figures never enter this committee's problem.
    register(operator, scene, committee=other_committee, slug="0-otro")
    problem = committee_problem(scene.committee)
    assert [d["id"] for d in problem["depots"]] == ["almacen-ventilla", "planta-senkata"]
    assert [r["id"] for r in problem["recipients"]] == [
        "a-comedor",
        "barrio-senkata",
        "posta-senkata",
    ]
    assert problem["recipients"][2]["routes"] == [
        {"depot": "almacen-ventilla", "cost": 3},
        {"depot": "planta-senkata", "cost": 1},
    ]
    assert committee_problem(scene.committee) == problem


def test_the_digest_is_the_sha256_of_canonical_json() -> None:
    assert json_digest(SCENE_PROBLEM) == canonical_sha256(SCENE_PROBLEM)
    reordered = dict(reversed(list(SCENE_PROBLEM.items())))
    assert json_digest(reordered) == json_digest(SCENE_PROBLEM)
    assert json_digest({"a": 1}) != json_digest({"a": 2})


# --- proposing a plan ------------------------------------------------------------------------


def test_a_proposed_plan_is_the_solvers_answer_to_the_stored_input(scene: SupplyScene) -> None:
    plan = services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.problem == SCENE_PROBLEM
    assert stored.status == PlanStatus.PROPOSED
    assert stored.decided_at is None
    # Re-run the solver on the stored input: the stored output is its answer.
    again = solver.to_json(solver.allocate(solver.read_json(json.dumps(stored.problem))))
    assert stored.result == json.loads(json.dumps(again))
    # The clinic (tier 1) is filled first; the barrio gets the rest.
    delivered = {(d["recipient"], d["units"]) for d in stored.result["deliveries"]}
    assert delivered == {("posta-senkata", 30), ("barrio-senkata", 70)}
    assert stored.total_cost == stored.result["total_cost"] == 30 * 1 + 70 * 2


def test_the_solver_gets_from_the_database_the_same_problem_as_from_the_frozen_input(
    scene: SupplyScene,
) -> None:
    plan = Plan.objects.get(pk=propose(scene).pk)
    built = solver.problem_of(committee_problem(scene.committee))
    # The same Problem as the frozen input read back from its JSON, and the same digest as ever.
    assert built == solver.read_json(json.dumps(plan.problem))
    assert plan.problem_digest == json_digest(plan.problem)
    assert plan.problem_digest == (
        "415acaff67ad2371a8b30e8be53ab56042f7a51c1283e021366e46bbf4b3b7f2"
    )
    assert solver.to_json(solver.allocate(built)) == plan.result


def test_a_proposals_digests_match_its_input_and_output_and_enter_the_ledger(
    scene: SupplyScene,
) -> None:
    plan = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.problem_digest == json_digest(stored.problem)
    assert stored.problem_digest == canonical_sha256(stored.problem)
    assert stored.result_digest == json_digest(stored.result)
    entry = LedgerEntry.objects.get(kind="plan.proposed")
    assert stored.ledger_seq == entry.seq
    assert json.loads(entry.payload) == {
        "plan": plan.pk,
        "committee": "abastecimiento",
        "problem_digest": stored.problem_digest,
        "result_digest": stored.result_digest,
        "total_cost": 170,
        "by": scene.members[0].pk,
    }
    assert stored.proposed_by == scene.members[0]
    assert stored.proposed_at == T0


def test_the_same_figures_give_the_same_plan(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    first = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    for member in scene.members[:2]:
        services.plan_vote(actor=member, plan_id=first.pk, choice="no")
    clock(timedelta(minutes=30))
    second = services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    assert (first.problem, first.result) == (second.problem, second.result)
    assert (first.problem_digest, first.result_digest) == (
        second.problem_digest,
        second.result_digest,
    )
    clock(timedelta(minutes=40))
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=99
    )
    third = services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    assert third.problem_digest != first.problem_digest
    assert third.result_digest != first.result_digest


def test_a_proposal_identical_to_one_still_open_is_refused_and_records_nothing(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    first = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    clock(timedelta(minutes=5))
    before = LedgerEntry.objects.count()
    with pytest.raises(Conflict, match=rf"plan {first.pk}, computed from these same figures"):
        services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    assert Plan.objects.count() == 1
    assert LedgerEntry.objects.count() == before
    changed = propose_from_new_figures(scene, scene.members[1], units=99)
    assert changed.problem_digest != first.problem_digest


def test_an_operator_may_propose_a_plan(operator: Any, scene: SupplyScene) -> None:
    plan = services.plan_propose(actor=operator, committee_id=scene.committee.pk)
    assert plan.proposed_by == operator


@pytest.mark.parametrize("who", ["commission member", "junta", "outsider", "former member"])
def test_only_the_committees_members_propose_plans(
    operator: Any,
    scene: SupplyScene,
    outsider: Any,
    clock: Callable[[timedelta], datetime],
    who: str,
) -> None:
    if who == "former member":
        clock(timedelta(hours=1))
        end_membership(operator, scene.members[2], scene.committee)
    actor = {
        "commission member": scene.counter,
        "junta": scene.junta,
        "outsider": outsider,
        "former member": scene.members[2],
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.plan_propose(actor=actor, committee_id=scene.committee.pk)
    assert snapshot() == before


def test_a_committee_without_depots_or_recipients_has_nothing_to_plan(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="no depots or no recipients"):
        services.plan_propose(actor=operator, committee_id=other_committee.pk)
    with pytest.raises(InvalidInput, match="not a committee"):
        services.plan_propose(actor=operator, committee_id=scene.federation.council.pk)
    assert snapshot() == before


def test_a_plan_over_two_depots_and_two_items_is_the_solvers_answer(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    flour = services.item_create(actor=operator, slug="harina", name="Harina", unit="quintal")
    ventilla = services.depot_create(
        actor=operator,
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="almacen-ventilla",
        name="Almacén de Ventilla",
    )
    kitchen = register(operator, scene, tier=1)
    for depot, recipient, cost in (
        (ventilla, kitchen, 1),
        (ventilla, scene.barrio, 4),
        (scene.depot, kitchen, 3),
    ):
        services.route_set(actor=operator, depot_id=depot.pk, recipient_id=recipient.pk, cost=cost)
    for depot, item, units in ((ventilla, flour, 25), (ventilla, scene.gas, 40)):
        services.stock_count_record(
            actor=scene.counter, depot_id=depot.pk, item_id=item.pk, units=units
        )
    for recipient, item, units in ((kitchen, flour, 30), (kitchen, scene.gas, 50)):
        services.need_register(
            actor=operator, recipient_id=recipient.pk, item_id=item.pk, units=units
        )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=flour.pk, units=10
    )
    plan = Plan.objects.get(pk=propose(scene).pk)
    again = solver.to_json(solver.allocate(solver.read_json(json.dumps(plan.problem))))
    assert plan.result == json.loads(json.dumps(again))
    assert plan.result_digest == json_digest(plan.result)
    stock = {(d["id"], i): n for d in plan.problem["depots"] for i, n in d["stock"].items()}
    need = {(r["id"], i): n for r in plan.problem["recipients"] for i, n in r["need"].items()}
    shipped: dict[tuple[str, str], int] = {}
    received: dict[tuple[str, str], int] = {}
    for s in plan.result["shipments"]:
        shipped[s["depot"], s["item"]] = shipped.get((s["depot"], s["item"]), 0) + s["units"]
        key = (s["recipient"], s["item"])
        received[key] = received.get(key, 0) + s["units"]
    assert all(units <= stock[key] for key, units in shipped.items())
    assert all(units <= need[key] for key, units in received.items())
    # Tier 1 first: the clinic and the kitchen are filled before the barrio gets any gas.
    assert received[("posta-senkata", "gas-10kg")] == 30
    assert received[("comedor-senkata", "gas-10kg")] == 50
    assert received[("barrio-senkata", "gas-10kg")] == 100 + 40 - 30 - 50
    assert received[("comedor-senkata", "harina")] == 25  # all the flour, to the higher tier
    assert ("barrio-senkata", "harina") not in received
