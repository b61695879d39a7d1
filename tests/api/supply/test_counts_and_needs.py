"""The supply API's stock counts and needs: the control commission counts a depot's stock and a
recipient's own secretary registers its needs; who counted or registered is shown only to those
who may see the roster; bad figures, unknown things and strangers are refused in the error shape
and write nothing.

The scene (tests.builders.build_supply, in this package's conftest.py) has a supply committee
of three, a control commission with its counter, the gas depot of Senkata, a clinic and the
barrio of Senkata.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api.supply.calls import get, post, refused, token_for, writes
from tests.builders import SupplyScene

pytestmark = pytest.mark.django_db


# --- stock counts -----------------------------------------------------------------------------


def test_a_member_of_the_control_commission_counts_the_stock(
    client: Client, scene: SupplyScene
) -> None:
    payload = {"item": "gas-10kg", "units": 250, "note": "camión de YPFB"}
    response = post(client, "/depots/planta-senkata/counts", payload, token_for(scene.counter))
    assert response.status_code == 201, response.content
    count = response.json()
    assert (count["depot"], count["item"], count["units"]) == ("planta-senkata", "gas-10kg", 250)
    assert (count["counted_by"], count["note"]) == ("Control Uno", "camión de YPFB")
    [depot] = get(client, "/committees/abastecimiento").json()["depots"]
    assert depot["stock"][0]["units"] == 250
    history = get(client, "/depots/planta-senkata/counts").json()
    assert [c["units"] for c in history] == [250, 100]  # newest first


def test_who_counted_is_shown_only_to_those_who_may_see_the_roster(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    path = "/depots/planta-senkata/counts?item=gas-10kg"
    assert [c["counted_by"] for c in get(client, path).json()] == [None]
    assert [c["counted_by"] for c in get(client, path, token_for(outsider)).json()] == [None]
    for reader in (scene.members[1], scene.counter):
        assert [c["counted_by"] for c in get(client, path, token_for(reader)).json()] == [
            "Control Uno"
        ]


def test_the_count_list_filters_and_refuses_unknown_things(
    client: Client, scene: SupplyScene
) -> None:
    assert get(client, "/depots/planta-senkata/counts?limit=1").status_code == 200
    refused(get(client, "/depots/planta-senkata/counts?item=harina"), 404, "not_found", "harina")
    refused(get(client, "/depots/nowhere/counts"), 404, "not_found", "no depot called nowhere")
    refused(get(client, "/depots/planta-senkata/counts?limit=0"), 422, "invalid")
    refused(get(client, "/depots/planta-senkata/counts?item=a%00"), 400, "invalid", "NUL")


@pytest.mark.parametrize(
    ("path", "payload", "status", "code", "says"),
    [
        pytest.param(
            "planta-senkata", {"item": "gas-10kg", "units": -5}, 400, "invalid", "whole number"
        ),
        pytest.param(
            "planta-senkata", {"item": "gas-10kg", "units": 2**70}, 400, "invalid", "whole number"
        ),
        pytest.param("planta-senkata", {"item": "gas-10kg", "units": 1.5}, 422, "invalid", ""),
        pytest.param("planta-senkata", {"item": "gas-10kg", "units": "5"}, 422, "invalid", ""),
        pytest.param("planta-senkata", {"item": "gas-10kg", "units": True}, 422, "invalid", ""),
        pytest.param("planta-senkata", {"item": "gas-10kg"}, 422, "invalid", "units"),
        pytest.param(
            "planta-senkata",
            {"item": "gas-10kg", "units": 5, "note": "\u0000"},
            400,
            "invalid",
            "control",
        ),
        pytest.param(
            "planta-senkata", {"item": "harina", "units": 5}, 404, "not_found", "no item called"
        ),
        pytest.param(
            "planta-senkata", {"item": "gas\u0000", "units": 5}, 404, "not_found", "no item"
        ),
        pytest.param("nowhere", {"item": "gas-10kg", "units": 5}, 404, "not_found", "no depot"),
    ],
)
def test_a_bad_count_is_refused_and_writes_nothing(
    client: Client,
    scene: SupplyScene,
    path: str,
    payload: object,
    status: int,
    code: str,
    says: str,
) -> None:
    before = writes()
    response = post(client, f"/depots/{path}/counts", payload, token_for(scene.counter))
    refused(response, status, code, says)
    assert writes() == before


def test_only_the_control_commission_counts(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    payload = {"item": "gas-10kg", "units": 1}
    before = writes()
    refused(post(client, "/depots/planta-senkata/counts", payload), 401, "unauthenticated")
    for user in (scene.members[0], scene.junta, outsider):
        response = post(client, "/depots/planta-senkata/counts", payload, token_for(user))
        refused(response, 403, "permission_denied", "count the stock of a depot")
    assert writes() == before


# --- needs ------------------------------------------------------------------------------------


def test_the_junta_registers_its_neighbourhoods_need(client: Client, scene: SupplyScene) -> None:
    token = token_for(scene.junta)
    response = post(
        client, "/recipients/barrio-senkata/needs", {"item": "gas-10kg", "units": 520}, token
    )
    assert response.status_code == 201, response.content
    need = response.json()
    assert (need["recipient"], need["item"], need["units"]) == ("barrio-senkata", "gas-10kg", 520)
    assert need["registered_by"] == "Junta Secretaria"
    history = get(client, "/recipients/barrio-senkata/needs").json()
    assert [(n["units"], n["registered_by"]) for n in history] == [(520, None), (400, None)]
    named = get(client, "/recipients/barrio-senkata/needs?item=gas-10kg", token).json()
    assert [n["registered_by"] for n in named] == ["Junta Secretaria", "Junta Secretaria"]
    committee = get(client, "/committees/abastecimiento").json()
    barrio = next(r for r in committee["recipients"] if r["slug"] == "barrio-senkata")
    assert barrio["needs"][0]["units"] == 520


def test_only_the_recipients_own_secretary_registers_its_needs(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    payload = {"item": "gas-10kg", "units": 10}
    before = writes()
    refused(post(client, "/recipients/barrio-senkata/needs", payload), 401, "unauthenticated")
    # The junta of Senkata is not the clinic's body (the mine's workers), nor is the committee.
    for user, slug in (
        (scene.junta, "posta-senkata"),
        (scene.members[0], "barrio-senkata"),
        (outsider, "barrio-senkata"),
    ):
        response = post(client, f"/recipients/{slug}/needs", payload, token_for(user))
        refused(response, 403, "permission_denied", "register a recipient's needs")
    assert writes() == before


@pytest.mark.parametrize(
    ("path", "payload", "status", "code", "says"),
    [
        pytest.param("barrio-senkata", {"item": "gas-10kg", "units": -1}, 400, "invalid", "units"),
        pytest.param(
            "barrio-senkata", {"item": "gas-10kg", "units": 10**9 + 1}, 400, "invalid", "units"
        ),
        pytest.param("barrio-senkata", {"item": "gas-10kg", "units": "x"}, 422, "invalid", ""),
        pytest.param("barrio-senkata", {"item": "leña", "units": 1}, 404, "not_found", "no item"),
        pytest.param("ventilla", {"item": "gas-10kg", "units": 1}, 404, "not_found", "recipient"),
    ],
)
def test_a_bad_need_is_refused_and_writes_nothing(
    client: Client,
    scene: SupplyScene,
    path: str,
    payload: object,
    status: int,
    code: str,
    says: str,
) -> None:
    before = writes()
    response = post(client, f"/recipients/{path}/needs", payload, token_for(scene.junta))
    refused(response, status, code, says)
    assert writes() == before


def test_the_needs_of_an_unknown_recipient_are_a_404(client: Client, scene: SupplyScene) -> None:
    refused(get(client, "/recipients/ventilla/needs"), 404, "not_found", "no recipient called")
    refused(get(client, "/recipients/barrio-senkata/needs?item=leña"), 404, "not_found")
