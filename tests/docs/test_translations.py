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


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (GNU gettext) is missing")
def test_every_message_in_the_code_has_its_spanish_translation(tmp_path: Path) -> None:
    """The catalog holds every message the code and templates mark, translated: gathered afresh
    (``makemessages``) in a copy of the package, so that the repository's catalog is not
    rewritten. A message added without its translation shows in English on a Spanish page."""
    from django.core.management import call_command

    copy = tmp_path / "consejo"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    import os

    here = Path.cwd()
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["es"], no_location=True, verbosity=0)
    finally:
        os.chdir(here)
    po = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    missing = subprocess.run(  # noqa: S603 - fixed arguments
        ["msgattrib", "--no-wrap", "--untranslated", "--no-obsolete", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(  # noqa: S603 - fixed arguments
        ["msgattrib", "--no-wrap", "--only-fuzzy", "--no-obsolete", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    new = [
        line
        for line in (missing + fuzzy).splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]
    assert new == [], "translate these in consejo/locale/es/LC_MESSAGES/django.po"
