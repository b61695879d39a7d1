"""The production server (`consejo serve`: gunicorn workers, collected static files served by
WhiteNoise) answers as docs/deploy.md promises: HEAD like GET, a favicon, the API docs from its
own files, the security headers everywhere, and X-Forwarded-Proto believed only behind a proxy."""

from __future__ import annotations

import http.client
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.production.conftest import Server, consejo, environment, serve, sqlite_copy


def request(
    server: Server, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One raw request: what the server sends, with no client stripping or following anything."""
    netloc = urlparse(server.url).netloc
    connection = http.client.HTTPConnection(netloc, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def test_the_server_is_gunicorn_with_workers(production_server: Server) -> None:
    _status, headers, _body = request(production_server, "GET", "/healthz")
    assert headers["server"].startswith("gunicorn")


@pytest.mark.parametrize("path", ["/", "/healthz"])
def test_head_answers_like_get_with_no_body(production_server: Server, path: str) -> None:
    get_status, get_headers, get_body = request(production_server, "GET", path)
    status, headers, body = request(production_server, "HEAD", path)
    assert (status, get_status) == (200, 200)
    assert body == b""
    assert headers["content-type"] == get_headers["content-type"]
    assert headers["content-length"] == str(len(get_body))


def test_the_favicon_is_served_and_linked(production_server: Server) -> None:
    status, headers, body = request(production_server, "GET", "/favicon.ico")
    assert status == 200
    assert headers["content-type"] == "image/x-icon"
    assert body.startswith(b"\x00\x00\x01\x00")
    assert "max-age" in headers["cache-control"]
    _status, _headers, page = request(production_server, "GET", "/")
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page.decode())
    assert len(icons) == 2
    for icon in icons:
        assert request(production_server, "GET", icon)[0] == 200


def test_collected_static_files_carry_their_hash_and_are_cached_for_long(
    production_server: Server,
) -> None:
    _status, _headers, page = request(production_server, "GET", "/")
    (css,) = re.findall(r'href="(/static/consejo/consejo\.[0-9a-f]{12}\.css)"', page.decode())
    status, headers, _body = request(production_server, "GET", css, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"]


def test_the_api_docs_load_from_the_installation_itself(production_server: Server) -> None:
    status, _headers, body = request(production_server, "GET", "/api/v1/docs")
    assert status == 200
    page = body.decode()
    assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", page) == []
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert any("swagger-ui-bundle" in asset for asset in assets)
    assert any("swagger-ui" in asset and asset.endswith(".css") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/ninja/"), asset
        assert request(production_server, "GET", asset)[0] == 200, asset


@pytest.mark.parametrize(
    "path", ["/", "/favicon.ico", "/api/v1/bodies/", "/no/such/page/", "/static/consejo/x.css"]
)
def test_every_response_carries_the_content_security_and_permissions_policies(
    production_server: Server, path: str
) -> None:
    _status, headers, _body = request(production_server, "GET", path)
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert policy["frame-ancestors"] == "'none'"
    features = dict(item.strip().split("=") for item in headers["permissions-policy"].split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()"


def test_the_cache_is_a_table_in_the_database_made_by_migrate(
    production_server: Server,
) -> None:
    # The anonymous verification is cached for every worker (consejo.ledger.selectors).
    for _ in range(2):
        status, _headers, _body = request(production_server, "GET", "/ledger/?verify=1")
        assert status == 200
    database = Path(production_server.env["DATABASE_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(database) as db:
        (cached,) = db.execute("SELECT count(*) FROM consejo_cache").fetchone()
    assert cached >= 1


@pytest.fixture(scope="module")
def https_servers(
    demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Server]]:
    """Two HTTPS installations, one told it runs behind a proxy and one not."""
    servers: dict[str, Server] = {}
    try:
        for behind in ["true", "false"]:
            root = tmp_path_factory.mktemp(f"https-{behind}")
            sqlite_copy(demo_sqlite, root / "db.sqlite3")
            env = environment(
                root / "var",
                f"sqlite:///{root / 'db.sqlite3'}",
                CONSEJO_HTTPS="true",
                CONSEJO_BEHIND_PROXY=behind,
                ALLOWED_HOSTS="consejo.example.org,127.0.0.1",
            )
            servers[behind] = serve(env, workers=1)
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def test_behind_a_declared_proxy_x_forwarded_proto_is_believed(
    https_servers: dict[str, Server],
) -> None:
    server = https_servers["true"]
    headers = {"Host": "consejo.example.org", "X-Forwarded-Proto": "https"}
    status, response, _body = request(server, "GET", "/", headers)
    assert status == 200
    assert "strict-transport-security" in response
    status, response, _body = request(server, "GET", "/", {"Host": "consejo.example.org"})
    assert status == 301
    assert response["location"] == "https://consejo.example.org/"


def test_without_a_declared_proxy_x_forwarded_proto_is_not_believed(
    https_servers: dict[str, Server],
) -> None:
    server = https_servers["false"]
    headers = {"Host": "consejo.example.org", "X-Forwarded-Proto": "https"}
    status, response, _body = request(server, "GET", "/", headers)
    assert status == 301
    assert response["location"] == "https://consejo.example.org/"
    # Monitors still reach the health check over plain HTTP.
    assert request(server, "GET", "/healthz", {"Host": "consejo.example.org"})[0] == 200


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    env = environment(tmp_path / "var", f"sqlite:///{tmp_path / 'new.sqlite3'}")
    done = consejo(env, "serve", "--bind", "127.0.0.1:1")
    assert done.returncode == 2
    assert done.stderr.startswith("consejo serve: error: the database lacks ")
    assert "run 'consejo migrate' first" in done.stderr
