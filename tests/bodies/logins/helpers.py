"""What the logins tests share: the API's root, the password a member chooses, the one refusal of
a code, a logged-in client, a code redeemed on the page, the codes a page shows, the ledger's last
entry."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from consejo.ledger.models import LedgerEntry

API = "/api/v1"
# Unlike any login name a card gives (<body>-<member id>): Django refuses a password too similar.
PASSWORD = "quinua-llama-andes-1781"
REFUSED = "do not match, or the code was used, replaced or has expired"


def logged_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def redeem(client: Client, username: str, code: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/login/code/",
        {"username": username, "code": code, "password1": password, "password2": password},
    )


def last_entry() -> LedgerEntry:
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def codes_on(page: str) -> list[str]:
    return re.findall(r'<code class="code">([2-9A-Z]{5}-[2-9A-Z]{5})</code>', page)
