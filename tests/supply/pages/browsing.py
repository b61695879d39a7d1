"""Browsing the supply pages in English: a client (logged in or not), the text of its responses,
their tables and messages, and a plan proposed by the committee's secretary to look at."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client

from consejo.supply import services
from consejo.supply.models import Plan
from tests.builders import SupplyScene


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


def _propose(scene: SupplyScene) -> Plan:
    return services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
