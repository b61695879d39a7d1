"""Fixtures of the command-line tests: a local installation's environment (its own directory and
SQLite file) and a small CSV of bodies to apportion."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def local_env(tmp_path: Path) -> dict[str, str]:
    return {
        "CONSEJO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'consejo.sqlite3'}",
        "CONSEJO_HTTPS": "false",
    }


@pytest.fixture
def example_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bodies.csv"
    path.write_text("name,members\nA,100000\nB,80000\nC,30000\nD,20000\n")
    return path
