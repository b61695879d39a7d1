"""Every page of the demo, and every error a person can meet on it, reads in Spanish.

The demo is loaded once for the module (rolled back afterwards, as in tests/demo). Each page that
a visitor, a member, two secretaries and the operator can reach by following links is rendered in
Spanish, and so are the refusals the forms give (a ballot with gaps, an empty ballot, a bad
roster, a bad count, a broken ledger...). A page fails when its text holds English: words that
Spanish never uses ("the", "of", "and", "is"...), outside names, codes and hashes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from consejo.elections.models import Election
from consejo.elections.selectors import standing_candidates
from tests.builders import loaded_demo

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"\b(the|of|and|is|are|was|were|with|must|cannot|already|entry|entries|fails|round|rounds|"
    r"elected|excluded|surplus|quota|seats?|members?|this|that|have|from|to|for|or|an|be|by|"
    r"not|ballots?|line|file|header|unknown|empty|expected|got|nobody|tie|lot|votes)\b"
    # and the ledger's kinds of entry as the code writes them (membership.started)
    r"|\b[a-z_]+\.(?:[a-z_]+ed|set|cast|vote|tally|tier)\b"
)
# Names, codes and hashes are not prose: left out of what is read.
_SKIP = re.compile(
    r"<(script|style|code|pre|svg|select|datalist)\b.*?</\1>"
    r'|<[^>]*class="[^"]*\bhash\b[^"]*"[^>]*>.*?</[a-z]+>',
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r'href="([^"#]+)"')
_FOLLOW_NOT = ("/admin", "/api", "/logout", "/i18n", "/login", "/static")
_DOWNLOADS = (".csv", ".blt", ".json")
_PER_KIND = 8  # pages of each kind (a body, an election, a ledger entry...) read per person
_OWN_BODIES = ("jv-villa-ingenio", "asamblea-el-alto", "abastecimiento-el-alto", "senkata-planta")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from loaded_demo(django_db_blocker, lambda _output: None)


def spanish(username: str | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def prose(page: str) -> str:
    """The words a reader reads on a page: its main part, without tags, code or hashes."""
    main = page.split("<main>", 1)[-1].split("</main>", 1)[0]
    return html.unescape(_TAG.sub(" ", _SKIP.sub(" ", main)))


def english_in(page: str) -> list[str]:
    text = prose(page)
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in ENGLISH.finditer(text)]


def kind_of(path: str) -> str:
    path = re.sub(r"[0-9]+", "N", path.split("?")[0])
    return re.sub(r"^/(bodies|supply/depots|supply/recipients|supply)/[^/]+/", r"/\1/*/", path)


def crawl(client: Client) -> dict[str, str]:
    """Every page reachable from the home page by links (a few of each kind), by address."""
    pages: dict[str, str] = {}
    seen_kinds: dict[str, int] = {}
    # The pages where secretaries manage (forms and their help) first, then whatever links lead to.
    todo = ["/", *(f"/bodies/{slug}/" for slug in _OWN_BODIES)]
    while todo:
        path = todo.pop(0)
        kind = kind_of(path)
        if path in pages or seen_kinds.get(kind, 0) >= _PER_KIND:
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        # Results for members only lead an anonymous reader to the login page (docs/privacy.md).
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        pages[path] = body = response.content.decode()
        for href in _LINK.findall(body):
            address = urlsplit(urljoin(path, html.unescape(href)))
            target = address.path + (f"?{address.query}" if address.query else "")
            if address.netloc or target.startswith(_FOLLOW_NOT) or target.endswith(_DOWNLOADS):
                continue
            todo.append(target)
    return pages


@pytest.mark.parametrize(
    "username", [None, "vecina", "villa-ingenio", "el-alto", "admin", "custodio-1"]
)
def test_every_page_of_the_demo_reads_in_spanish(demo: None, username: str | None) -> None:
    pages = crawl(spanish(username))
    assert len(pages) > 20
    found = {path: english_in(page) for path, page in pages.items()}
    assert not {path: words for path, words in found.items() if words}


def test_the_results_ledger_and_verification_read_in_spanish(demo: None) -> None:
    client = spanish("vecina")
    counted = Election.objects.filter(counted_at__isnull=False).values_list("pk", flat=True)
    for pk in counted:
        page = client.get(f"/elections/{pk}/results/").content.decode()
        assert not english_in(page), pk
    verified = client.get("/ledger/?verify=1").content.decode()
    assert "Verificado: la cadena de" in verified
    assert not english_in(verified)
    entry = client.get("/ledger/19000/").content.decode()
    assert not english_in(entry)
    csv = client.get(f"/elections/{counted[0]}/results.csv").content.decode()
    assert csv.startswith("candidatura,ronda 1,")


def test_a_broken_ledger_is_reported_in_spanish(demo: None) -> None:
    with transaction.atomic():  # undone below: the other tests read a whole ledger
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_ledgerentry SET payload = '{}' WHERE seq = 7")
        page = spanish("vecina").get("/ledger/?verify=1").content.decode()
        transaction.set_rollback(True)
    assert "La cadena no se verifica: falla el asiento 7." in page
    assert not english_in(page)


def _refusals() -> list[tuple[str, str, dict[str, Any]]]:
    open_election = Election.objects.get(counted_at__isnull=True, mode="secret")
    candidates = [c.pk for c in standing_candidates(open_election)]
    roster = "/bodies/jv-villa-ingenio/roster/"
    return [
        ("vecina", f"/elections/{open_election.pk}/vote/", {}),
        (
            "vecina",
            f"/elections/{open_election.pk}/vote/",
            {f"rank-{candidates[0]}": "1", f"rank-{candidates[1]}": "3"},
        ),
        ("vecina", f"/elections/{open_election.pk}/vote/", {f"rank-{candidates[0]}": "uno"}),
        ("villa-ingenio", roster, {"file": "nombre;sector\nJuana;obrera\n"}),
        ("villa-ingenio", roster, {"file": "name,sector\nJuana,astronaut\n"}),
        ("villa-ingenio", roster, {"file": "name,sector\n,worker\n"}),
        ("villa-ingenio", roster, {"file": "name,sector,phone\nA,worker,7\nB,worker,7\n"}),
        ("villa-ingenio", roster, {"file": "name,sector\n"}),
        ("villa-ingenio", roster, {"file": ""}),
        ("villa-ingenio", "/bodies/jv-villa-ingenio/", {"name": "", "sector": "worker"}),
        ("villa-ingenio", "/supply/recipients/barrio-villa-ingenio/need/", {"units": "-1"}),
        ("el-alto", "/supply/abastecimiento-el-alto/items/", {"name": "Harina"}),
        ("el-alto", "/supply/abastecimiento-el-alto/recipients/", {"name": "X", "tier": "0"}),
        ("el-alto", "/supply/abastecimiento-el-alto/routes/", {"recipient": "nadie"}),
        ("el-alto", "/bodies/asamblea-el-alto/seats/", {"method": "dhondt", "seats": "-3"}),
        ("vecina", "/bodies/jv-villa-ingenio/seats/", {"method": "dhondt", "seats": "3"}),
        ("vecina", "/elections/999999/", {}),
    ]


@pytest.mark.parametrize("case", range(17))
def test_every_refusal_reads_in_spanish(demo: None, case: int) -> None:
    username, path, data = _refusals()[case]
    client = spanish(username)
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile("padron.csv", data["file"].encode())}
    response = client.post(path, data, follow=True) if data or "vote" in path else None
    if response is None:
        response = client.get(path)
    page = response.content.decode()
    assert response.status_code in (200, 400, 403, 404), (path, response.status_code)
    said = [str(m) for m in response.context["messages"]] if response.context else []
    assert "error" in page or said, (path, said)
    assert not english_in(page), (path, english_in(page))
