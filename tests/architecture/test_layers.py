"""The layers of CONVENTIONS.md, enforced: api | views | commands → services | selectors | access
→ models → core; the core imports neither Django nor the apps; only services write."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "consejo"


def modules(*patterns: str) -> list[Path]:
    found: list[Path] = []
    for pattern in patterns:
        found.extend(sorted(PACKAGE.glob(pattern)))
    return [path for path in found if "migrations" not in path.parts]


def imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", modules("core/**/*.py"), ids=lambda p: p.name)
def test_the_core_imports_neither_django_nor_the_apps(path: Path) -> None:
    bad = {
        name
        for name in imported_names(path)
        if name.split(".")[0] == "django"
        or (name.startswith("consejo.") and not name.startswith("consejo.core"))
    }
    assert bad == set(), f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


INTERFACES = modules(
    "*/views.py",
    "*/*_views.py",
    "*/forms.py",
    "*/entries.py",
    "api/*.py",
    "*/admin.py",
    "*/management/commands/*.py",
    "site/bodies.py",
    "site/ledger.py",
    "site/context.py",
)
WRITES = {"save", "delete", "create", "bulk_create", "update", "get_or_create", "update_or_create"}


@pytest.mark.parametrize("path", INTERFACES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_interfaces_neither_query_models_directly_nor_write(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    offences = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            offences.append(f"line {node.lineno}: Model.objects")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            offences.append(f"line {node.lineno}: .{node.func.attr}()")
    allowed = _allowed_exceptions(path)
    assert [o for o in offences if o not in allowed] == [], path.relative_to(PACKAGE)


def _allowed_exceptions(path: Path) -> set[str]:
    """Places that read users (not domain rows) by name: the token and demo commands."""
    relative = str(path.relative_to(PACKAGE))
    if relative.endswith(("commands/token.py", "commands/demo.py")):
        return {
            f"line {node.lineno}: Model.objects"
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Attribute) and node.attr == "objects"
        }
    return set()


def test_only_services_append_to_the_ledger() -> None:
    writers = set()
    for path in modules("**/*.py"):
        text = path.read_text()
        if "ledger_append(" in text or "ledger_append_many(" in text:
            writers.add(str(path.relative_to(PACKAGE)))
    assert writers <= {
        str(p.relative_to(PACKAGE)) for p in modules("*/services.py", "*/services/*.py")
    }, writers
