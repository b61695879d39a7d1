"""Documentation that cannot fall behind (after Datasette's tests/test_docs.py): every command of
ours, every setting and every API path is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = "\n".join(
    path.read_text() for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def our_commands() -> list[str]:
    return sorted(
        path.stem
        for path in (ROOT / "consejo").glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )


@pytest.mark.parametrize("command", our_commands())
def test_every_command_of_ours_is_documented(command: str) -> None:
    assert f"consejo {command}" in DOCS


def settings_from_environment() -> list[str]:
    # The settings, and the variables read by the production server and the backups.
    text = "\n".join(
        (ROOT / "consejo" / name).read_text()
        for name in ["settings.py", "gunicorn_conf.py", "common/passphrase.py"]
    )
    names = set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', text))
    names |= set(re.findall(r'env_flag\(\s*"([A-Z_]+)"', text))
    return sorted(names)


@pytest.mark.parametrize("name", settings_from_environment())
def test_every_environment_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in (ROOT / "README.md").read_text()


def test_every_api_path_is_documented() -> None:
    from consejo.api.urls import api

    schema = api.get_openapi_schema()
    api_doc = (ROOT / "docs" / "api.md").read_text()
    # A parameter may be named as the docs please ({slug}, {id}): compare the shapes only.
    shapes = {
        re.sub(r"\{[^}]+\}", "{}", line) for line in re.findall(r"`(/api/v1/[^`?]*)", api_doc)
    }
    for path in schema["paths"]:
        shape = re.sub(r"\{[^}]+\}", "{}", path)
        assert shape in shapes or shape.rstrip("/") in shapes, path


def test_the_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text()[:1200]
    assert "make run" in head
    assert "make test" in head


def test_the_ledger_doc_lists_exactly_the_registry_of_kinds() -> None:
    from consejo.ledger.kinds import RENAMED, SPECS

    text = (ROOT / "docs" / "ledger.md").read_text()
    table = text.split("<!-- kinds -->")[1].split("<!-- /kinds -->")[0]
    documented = {}
    for line in table.strip().splitlines()[2:]:
        kind, _label, fields = (cell.strip() for cell in line.strip("|").split("|"))
        name = re.match(r"`([a-z_.]+)`", kind)
        assert name, line
        olds = set(re.findall(r"`([a-z_.]+)`", kind)) - {name.group(1)}
        required, _, optional = fields.partition("[")
        documented[name.group(1)] = (
            tuple(re.findall(r"`([a-z_]+)`", required)),
            tuple(re.findall(r"`([a-z_]+)`", optional)),
            olds,
        )
    assert documented == {
        kind.value: (
            spec.fields,
            spec.optional,
            {old for old, new in RENAMED.items() if new is kind},
        )
        for kind, spec in SPECS.items()
    }


def test_the_ledger_doc_lists_what_the_audit_covers_and_leaves_out() -> None:
    from consejo.ledger.audit import NOT_COVERED, tables

    text = (ROOT / "docs" / "ledger.md").read_text()
    section = text.split("<!-- audit -->")[1].split("<!-- /audit -->")[0]
    rows = {
        re.match(r"\| `([\w.]+)` \|", line).group(1): line  # type: ignore[union-attr]
        for line in section.splitlines()
        if re.match(r"\| `[\w.]+` \|", line)
    }
    assert set(rows) == set(tables())
    for label, table in tables().items():
        for name in (*table.compared, *table.not_covered):
            assert f"`{name}`" in rows[label], (label, name)
    for label in NOT_COVERED:
        assert f"- `{label}`:" in section, label
