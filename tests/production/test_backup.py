"""`consejo backup` and `consejo restore`: a sealed copy that restores into a new database and
verifies, on SQLite and on PostgreSQL; a wrong passphrase or a damaged file is refused in one line
with exit status 2, before anything is written."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.production.conftest import PASSPHRASE, consejo, environment, sqlite_copy


def _tables(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608


def _verify(env: dict[str, str]) -> str:
    done = consejo(env, "ledger", "verify")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def source(demo_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An installation holding the demo, with one uploaded file (the tests only read it)."""
    tmp_path = tmp_path_factory.mktemp("live")
    path = tmp_path / "live.sqlite3"
    sqlite_copy(demo_sqlite, path)
    env = environment(tmp_path / "live-var", f"sqlite:///{path}")
    media = tmp_path / "live-var" / "media" / "actas"
    media.mkdir(parents=True)
    (media / "acta-9-junio.txt").write_text("Acta de la asamblea del 9 de junio de 2005\n")
    return env


@pytest.fixture(scope="module")
def archive(source: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "consejo.backup"
    done = consejo({**source, "CONSEJO_BACKUP_PASSPHRASE": PASSPHRASE}, "backup", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"backup written to {path}: ")
    return path


def _new_installation(tmp_path: Path, name: str = "new") -> tuple[dict[str, str], Path]:
    path = tmp_path / f"{name}.sqlite3"
    return environment(tmp_path / f"{name}-var", f"sqlite:///{path}"), path


def test_a_sqlite_backup_restores_into_a_new_database_whole_and_verified(
    source: dict[str, str], archive: Path, tmp_path: Path
) -> None:
    env, path = _new_installation(tmp_path)
    done = consejo({**env, "CONSEJO_BACKUP_PASSPHRASE": PASSPHRASE}, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    verdict = _verify(source)
    assert done.stdout.strip() == f"restored {archive}: {verdict}"
    assert _verify(env) == verdict
    assert _tables(path) == _tables(Path(source["DATABASE_URL"].removeprefix("sqlite:///")))
    restored = tmp_path / "new-var" / "media" / "actas" / "acta-9-junio.txt"
    assert restored.read_text() == "Acta de la asamblea del 9 de junio de 2005\n"


def test_the_archive_reveals_nothing_and_is_kept_private(archive: Path) -> None:
    data = archive.read_bytes()
    for secret in [b"Senkata", b"SQLite format", b"manifest", b"acta", b"ledger"]:
        assert secret not in data
    assert archive.stat().st_mode & 0o077 == 0


def test_a_wrong_passphrase_is_refused_in_one_line_before_anything_is_written(
    archive: Path, tmp_path: Path
) -> None:
    env, path = _new_installation(tmp_path)
    wrong = {**env, "CONSEJO_BACKUP_PASSPHRASE": "not the passphrase at all"}
    done = consejo(wrong, "restore", str(archive))
    assert done.returncode == 2
    assert done.stderr == (
        "consejo restore: error: wrong passphrase (or the archive's header is damaged)\n"
    )
    assert not path.exists() or _tables(path) == {}


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


CHUNK = 64 * 1024 + 16
HEADER = 16 + 3 + 16 + 7 + 32
DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "a flipped byte in the middle": lambda data: _flip(data, len(data) // 2),
    "a flipped byte in the last part": lambda data: _flip(data, len(data) - 3),
    "cut mid-part": lambda data: data[: len(data) - 1000],
    "cut at a part's end": lambda data: data[: HEADER + CHUNK],
    "two parts swapped": lambda data: (
        (data[:HEADER] + data[HEADER + CHUNK : HEADER + 2 * CHUNK] + data[HEADER : HEADER + CHUNK])
        + data[HEADER + 2 * CHUNK :]
    ),
    "bytes appended": lambda data: data + b"\x00" * 100,
    "a flipped byte in the salt": lambda data: _flip(data, 20),
    "not a backup at all": lambda data: b"PK\x03\x04 this is some other file" * 10,
    "empty": lambda data: b"",
}
MESSAGES = {
    "a flipped byte in the salt": "wrong passphrase (or the archive's header is damaged)",
    "not a backup at all": "this file is not a consejo backup (or its beginning is damaged)",
    "empty": "this file is not a consejo backup (or its beginning is damaged)",
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_archive_is_refused_in_one_line_before_anything_is_written(
    archive: Path, tmp_path: Path, damage: str
) -> None:
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(DAMAGE[damage](archive.read_bytes()))
    env, path = _new_installation(tmp_path)
    done = consejo({**env, "CONSEJO_BACKUP_PASSPHRASE": PASSPHRASE}, "restore", str(damaged))
    assert done.returncode == 2, done.stdout
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    expected = MESSAGES.get(damage, "the archive is damaged: part ")
    assert done.stderr.startswith(f"consejo restore: error: {expected}")
    assert not path.exists() or _tables(path) == {}


def test_a_restore_refuses_a_database_that_is_not_empty(
    source: dict[str, str], archive: Path
) -> None:
    live = Path(source["DATABASE_URL"].removeprefix("sqlite:///"))
    before = _tables(live)
    done = consejo({**source, "CONSEJO_BACKUP_PASSPHRASE": PASSPHRASE}, "restore", str(archive))
    assert done.returncode == 2
    assert done.stderr.startswith("consejo restore: error: the configured database is not empty")
    assert _tables(live) == before


def test_the_passphrase_comes_from_a_file_and_is_never_an_argument(
    source: dict[str, str], archive: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    env, _path = _new_installation(tmp_path)
    done = consejo({**env, "CONSEJO_BACKUP_PASSPHRASE_FILE": str(secret)}, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "passphrase" not in consejo(source, "backup", "--help").stdout.split("positional")[1]


def test_without_a_passphrase_or_a_terminal_a_backup_says_where_to_put_one(
    source: dict[str, str], tmp_path: Path
) -> None:
    done = consejo(source, "backup", str(tmp_path / "x.backup"))
    assert done.returncode == 2
    assert done.stderr == (
        "consejo backup: error: no passphrase: set CONSEJO_BACKUP_PASSPHRASE_FILE or "
        "CONSEJO_BACKUP_PASSPHRASE, or run this on a terminal\n"
    )
    assert not (tmp_path / "x.backup").exists()


def test_a_short_passphrase_is_refused(source: dict[str, str], tmp_path: Path) -> None:
    done = consejo(
        {**source, "CONSEJO_BACKUP_PASSPHRASE": "short"}, "backup", str(tmp_path / "x.backup")
    )
    assert done.returncode == 2
    assert "at least 12 characters" in done.stderr
    assert not (tmp_path / "x.backup").exists()


def test_a_backup_never_overwrites_a_file(source: dict[str, str], archive: Path) -> None:
    before = archive.read_bytes()
    done = consejo({**source, "CONSEJO_BACKUP_PASSPHRASE": PASSPHRASE}, "backup", str(archive))
    assert done.returncode == 2
    assert "exists already" in done.stderr
    assert archive.read_bytes() == before


def test_keep_leaves_the_newest_backups_in_a_folder(source: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for old in ["consejo-20050601-020000.backup", "consejo-20050602-020000.backup"]:
        (folder / old).write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    env = {**source, "CONSEJO_BACKUP_PASSPHRASE": PASSPHRASE}
    done = consejo(env, "backup", str(folder), "--keep", "2")
    assert done.returncode == 0, done.stderr
    names = sorted(path.name for path in folder.iterdir())
    assert names[0] == "consejo-20050602-020000.backup"
    assert names[1].startswith("consejo-2")
    assert names[1] != names[0]
    assert names[2] == "notes.txt"
    assert len(names) == 3


@pytest.mark.postgres_only
def test_a_postgresql_backup_restores_into_a_new_database_whole_and_verified(
    scratch_postgres: Callable[[str], str], tmp_path: Path
) -> None:
    import psycopg

    live_url, new_url = scratch_postgres("live"), scratch_postgres("new")
    live = environment(tmp_path / "live-var", live_url, CONSEJO_BACKUP_PASSPHRASE=PASSPHRASE)
    for step in (["migrate", "-v0"], ["demo"]):
        done = consejo(live, *step)
        assert done.returncode == 0, done.stderr
    archive = tmp_path / "pg.backup"
    done = consejo(live, "backup", str(archive))
    assert done.returncode == 0, done.stderr

    new = environment(tmp_path / "new-var", new_url, CONSEJO_BACKUP_PASSPHRASE="wrong, wrong!")
    done = consejo(new, "restore", str(archive))
    assert done.returncode == 2
    assert done.stderr.startswith("consejo restore: error: wrong passphrase")

    new["CONSEJO_BACKUP_PASSPHRASE"] = PASSPHRASE
    done = consejo(new, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    verdict = _verify(live)
    assert done.stdout.strip() == f"restored {archive}: {verdict}"
    assert _verify(new) == verdict

    def counts(url: str) -> dict[str, int]:
        with psycopg.connect(url) as db:
            tables = [
                row[0]
                for row in db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            query = 'SELECT count(*) FROM "{}"'
            return {t: db.execute(query.format(t)).fetchone()[0] for t in tables}  # type: ignore[index]

    assert counts(new_url) == counts(live_url)
    done = consejo(new, "restore", str(archive))
    assert done.returncode == 2
    assert "not empty" in done.stderr
