from typing import Any

import pytest

from consejo.supply import services
from consejo.supply.models import PlanStatus
from tests.builders import build_supply


@pytest.mark.django_db
def test_smoke(operator: Any) -> None:
    scene = build_supply(actor=operator)
    plan = services.plan_propose(actor=scene.members[0], committee=scene.committee)
    print(plan.problem, plan.result)
    services.plan_vote(actor=scene.members[0], plan_id=plan.pk, choice="yes")
    plan = services.plan_vote(actor=scene.members[1], plan_id=plan.pk, choice="yes")
    assert plan.status == PlanStatus.APPROVED
