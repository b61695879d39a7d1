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


def reader_of(request: HttpRequest) -> Any:
    """Who reads a public endpoint: the user of a valid token if one is sent, else the session's
    (anonymous or logged in). A token that is not valid reads as the session."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return api_token_user(header.removeprefix("Bearer ").strip()) or request.user
    return request.user
