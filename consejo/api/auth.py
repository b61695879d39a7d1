"""Token authentication: ``Authorization: Bearer cj_…``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from consejo.bodies.tokens import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user
