"""API tokens (consejo.bodies.services.tokens): a token needs a name, and only an active token of
one's own (or, for an operator, anyone's) is revoked; the refusals speak the member's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from consejo.bodies.services import api_token_issue, api_token_revoke
from consejo.common.models import ApiToken
from consejo.core.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_a_token_without_a_name_is_refused_in_spanish(operator: Any) -> None:
    with translation.override("es"), pytest.raises(InvalidInput, match="necesita un nombre"):
        api_token_issue(user=operator, name="   ")
    assert not ApiToken.objects.exists()


def test_a_token_revoked_twice_is_not_found_the_second_time(operator: Any) -> None:
    api_token_issue(user=operator, name="planilla")
    token = ApiToken.objects.get()
    api_token_revoke(user=operator, token_id=token.pk)
    with translation.override("es"), pytest.raises(NotFound, match="no existe ese token activo"):
        api_token_revoke(user=operator, token_id=token.pk)
