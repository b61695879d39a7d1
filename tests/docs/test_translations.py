"""Spanish is the default language: its catalog must be complete and its compiled form current."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "consejo" / "locale"
MSGFMT = shutil.which("msgfmt")

pytestmark = pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed")


def test_every_spanish_message_is_translated_and_none_is_fuzzy() -> None:
    po = LOCALE / "es" / "LC_MESSAGES" / "django.po"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [str(MSGFMT), "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "untranslated" not in done.stderr, done.stderr
    assert "fuzzy" not in done.stderr, done.stderr


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_compiled_catalog_matches_its_source(language: str, tmp_path: Path) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - fixed arguments
        [str(MSGFMT), "-o", str(fresh), str(folder / "django.po")], check=True
    )
    with (folder / "django.mo").open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (  # type: ignore[attr-defined]
            gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
        ), "run: make messages"
