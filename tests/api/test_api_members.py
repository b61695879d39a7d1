"""The REST API under /api/v1/: members registered with a token (who may, what a malformed or
rule-breaking request gets, phone numbers) and the member list, refusals in the one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from consejo.bodies import services
from consejo.bodies.models import Member, Membership
from consejo.bodies.services import api_token_issue, api_token_revoke
from consejo.common.models import ApiToken
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_head_get
from tests.api.api_helpers import (
    API,
    assert_error_shape,
    bearer,
    federation_fixture,  # noqa: F401 - the fixture `federation`
)
from tests.builders import NEIGHBORHOOD_MEMBERS, SmallFederation, make_member, make_secretary

pytestmark = pytest.mark.django_db


def post_member(client: Client, slug: str, payload: object, **headers: str) -> Any:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(
        f"{API}/bodies/{slug}/members", body, content_type="application/json", **headers
    )


def counts() -> tuple[int, int, int]:
    return Member.objects.count(), Membership.objects.count(), LedgerEntry.objects.count()


# --- registering members ---------------------------------------------------------------------


def test_registering_a_member_without_a_token_is_a_401_and_writes_nothing(
    client: Client, federation: SmallFederation
) -> None:
    before = counts()

    response = post_member(client, "senkata", {"name": "Rosa Apaza", "sector": "resident"})

    assert_error_shape(response, 401, "unauthenticated")
    assert counts() == before


def test_registering_a_member_with_a_malformed_token_is_a_401(
    client: Client, federation: SmallFederation
) -> None:
    response = post_member(
        client,
        "senkata",
        {"name": "Rosa Apaza", "sector": "resident"},
        **bearer("cj_not-a-real-token"),
    )

    assert_error_shape(response, 401, "unauthenticated")


def test_registering_a_member_raises_no_deprecation_warning(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    token = api_token_issue(user=operator, name="roster scanner")

    response = post_member(
        client, "senkata", {"name": "Rosa Apaza", "sector": "resident"}, **bearer(token)
    )

    assert response.status_code == 201


def test_the_operator_registers_a_member_with_a_token(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    token = api_token_issue(user=operator, name="roster scanner")
    before, _head = ledger_head_get()

    response = post_member(
        client,
        "senkata",
        {"name": "Rosa Apaza", "sector": "resident", "phone": "+591 7000 0001"},
        **bearer(token),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Rosa Apaza"
    assert body["body"] == "senkata"
    assert body["sector"] == "resident"
    assert body["role"] == "member"
    assert body["end"] is None
    membership = Membership.objects.select_related("member").get(pk=body["membership"])
    assert membership.member_id == body["member"]
    assert membership.member.phone == "59170000001"  # stored as its digits
    assert membership.end is None
    after, _head = ledger_head_get()
    assert after > before
    assert client.get(f"{API}/bodies/senkata").json()["members"] == NEIGHBORHOOD_MEMBERS + 1


def test_the_secretary_registers_a_member_of_their_own_body_with_a_token(
    client: Client, federation: SmallFederation, operator: Any, django_user_model: Any
) -> None:
    user = make_secretary(actor=operator, body=federation.mine)
    token = api_token_issue(user=user, name="phone")

    response = post_member(
        client, "huanuni", {"name": "Nuevo Minero", "sector": "miner"}, **bearer(token)
    )

    assert response.status_code == 201, response.content
    assert Membership.objects.filter(body=federation.mine, member__name="Nuevo Minero").exists()


def test_a_token_of_a_user_without_authority_is_a_403_and_writes_nothing(
    client: Client, federation: SmallFederation, outsider: Any
) -> None:
    token = api_token_issue(user=outsider, name="curious")
    before = counts()

    response = post_member(
        client, "senkata", {"name": "Intrusa Falsa", "sector": "resident"}, **bearer(token)
    )

    assert_error_shape(response, 403, "permission_denied")
    assert counts() == before


def test_a_secretary_token_gives_no_authority_over_another_body(
    client: Client, federation: SmallFederation, operator: Any, django_user_model: Any
) -> None:
    user = make_secretary(actor=operator, body=federation.mine)
    token = api_token_issue(user=user, name="phone")
    before = counts()

    response = post_member(
        client, "senkata", {"name": "Intrusa Falsa", "sector": "resident"}, **bearer(token)
    )

    assert_error_shape(response, 403, "permission_denied")
    assert counts() == before


def test_a_revoked_token_is_a_401_and_writes_nothing(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    token = api_token_issue(user=operator, name="lost phone")
    api_token_revoke(user=operator, token_id=ApiToken.objects.get(name="lost phone").pk)
    before = counts()

    response = post_member(
        client, "senkata", {"name": "Rosa Apaza", "sector": "resident"}, **bearer(token)
    )

    assert_error_shape(response, 401, "unauthenticated")
    assert counts() == before


def test_a_token_of_a_deactivated_user_is_a_401(
    client: Client, federation: SmallFederation, operator: Any, django_user_model: Any
) -> None:
    other = django_user_model.objects.create_superuser("former", password="former-pass-1")
    token = api_token_issue(user=other, name="old script")
    other.is_active = False
    other.save(update_fields=["is_active"])

    response = post_member(
        client, "senkata", {"name": "Rosa Apaza", "sector": "resident"}, **bearer(token)
    )

    assert_error_shape(response, 401, "unauthenticated")


def test_registering_a_member_of_an_unknown_body_is_a_404(client: Client, operator: Any) -> None:
    token = api_token_issue(user=operator, name="roster scanner")

    response = post_member(
        client, "no-such-body", {"name": "Rosa Apaza", "sector": "resident"}, **bearer(token)
    )

    assert_error_shape(response, 404, "not_found")


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        # A body that is not JSON at all cannot be parsed (400); well-formed JSON of the wrong
        # shape fails validation (422). Both in the one error shape.
        pytest.param("{not json", 400, id="invalid-json"),
        pytest.param("", 422, id="empty-body"),
        pytest.param("[1, 2]", 422, id="a-list"),
        pytest.param({"sector": "resident"}, 422, id="missing-name"),
        pytest.param({"name": "Rosa Apaza"}, 422, id="missing-sector"),
        pytest.param({"name": ["Rosa"], "sector": "resident"}, 422, id="name-not-a-string"),
    ],
)
def test_a_malformed_request_is_refused_in_the_error_shape_and_writes_nothing(
    client: Client, federation: SmallFederation, operator: Any, payload: object, status: int
) -> None:
    token = api_token_issue(user=operator, name="roster scanner")
    before = counts()

    response = post_member(client, "senkata", payload, **bearer(token))

    assert_error_shape(response, status, "invalid")
    assert counts() == before


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"name": "   ", "sector": "resident"}, id="blank-name"),
        pytest.param({"name": "Rosa Apaza", "sector": "queen"}, id="unknown-sector"),
        pytest.param({"name": "Rosa", "sector": "resident", "phone": "call me"}, id="bad-phone"),
    ],
)
def test_a_request_that_breaks_a_rule_is_a_400_in_the_error_shape_and_writes_nothing(
    client: Client, federation: SmallFederation, operator: Any, payload: object
) -> None:
    token = api_token_issue(user=operator, name="roster scanner")
    before = counts()

    response = post_member(client, "senkata", payload, **bearer(token))

    assert_error_shape(response, 400, "invalid")
    assert counts() == before


def test_a_phone_taken_in_the_same_body_is_a_409_in_the_error_shape_and_writes_nothing(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    services.member_add(
        actor=operator,
        body_id=federation.mine.pk,
        name="Rosa Apaza",
        sector="miner",
        phone="70000001",
    )
    token = api_token_issue(user=operator, name="roster scanner")
    before = counts()

    response = post_member(
        client,
        "huanuni",
        {"name": "Otra", "sector": "miner", "phone": "7000-0001"},
        **bearer(token),
    )

    assert_error_shape(response, 409, "conflict")
    assert counts() == before


def test_a_phone_held_in_another_body_answers_as_a_new_phone_does(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    # No oracle: the secretary of Huanuni must not learn that the neighborhood has this phone.
    services.member_add(
        actor=operator,
        body_id=federation.neighborhood.pk,
        name="Rosa Apaza",
        sector="resident",
        phone="+591 7000 0001",
    )
    token = api_token_issue(user=operator, name="roster scanner")
    taken = post_member(
        client,
        "huanuni",
        {"name": "Otra", "sector": "miner", "phone": "+591 7000 0001"},
        **bearer(token),
    )
    fresh = post_member(
        client,
        "huanuni",
        {"name": "Nueva", "sector": "miner", "phone": "+591 7000 0002"},
        **bearer(token),
    )
    assert taken.status_code == fresh.status_code == 201
    assert set(taken.json()) == set(fresh.json())
    assert taken.json()["member"] != Member.objects.get(name="Rosa Apaza").pk
    assert "neighborhood" not in taken.content.decode()


# --- the member list ---------------------------------------------------------------------


def test_the_member_list_needs_a_members_token_and_shows_names_with_one(
    client: Client, federation: SmallFederation, operator: Any, outsider: Any
) -> None:
    anonymous = client.get(f"{API}/bodies/huanuni/members")
    assert_error_shape(anonymous, 401, "unauthenticated")

    stranger = api_token_issue(user=outsider, name="stranger")
    refused = client.get(f"{API}/bodies/huanuni/members", **bearer(stranger))
    assert_error_shape(refused, 403, "permission_denied")

    # A member of the neighborhood next door (another body under the same council) is no
    # neighbour of the mine in the federation: she does not see its roster.
    sibling = api_token_issue(
        user=make_member(actor=operator, body=federation.neighborhood), name="sibling"
    )
    assert_error_shape(
        client.get(f"{API}/bodies/huanuni/members", **bearer(sibling)), 403, "permission_denied"
    )
    miner = make_member(actor=operator, body=federation.mine, username="minero")
    token = api_token_issue(user=miner, name="reader")
    response = client.get(f"{API}/bodies/huanuni/members", **bearer(token))

    assert response.status_code == 200
    assert sorted(m["name"] for m in response.json()) == sorted(
        [*federation.mine_names, "Basilia Ticona"]
    )
