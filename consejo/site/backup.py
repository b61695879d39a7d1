"""``consejo backup`` and ``consejo restore``: the whole installation in one sealed file.

A backup is a gzipped tar, sealed with a passphrase (:mod:`consejo.common.encryption`), holding
``manifest.json`` (what was copied, and the ledger's count and head at that instant), the
database (a consistent copy made by SQLite's backup API, or ``pg_dump --format=custom`` on
PostgreSQL) and the uploaded files under ``media/`` if there are any.

A restore opens and checks the whole file before it touches anything, loads it into the
configured database (which must be new and empty), migrates it to this version's schema, and
says it is done only when the ledger verifies and ends at the head the manifest recorded.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction

import consejo
from consejo.common.encryption import SealedWriter, unseal
from consejo.core import ledger as chain
from consejo.core.errors import Conflict, InvalidInput, LedgerBroken
from consejo.ledger.models import LedgerHead
from consejo.ledger.selectors import ledger_head_get, ledger_verify

FORMAT = 1
SUFFIX = ".backup"
MIN_PASSPHRASE = 12


@dataclass(frozen=True, slots=True)
class Manifest:
    database: str
    entries: int
    head: str
    created_at: str
    media_files: int

    def describe(self) -> str:
        return f"{self.entries} ledger entries, head {self.head}"


def passphrase_check(passphrase: str) -> None:
    """A passphrase that a stolen copy cannot be opened with by guessing for a few days."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            f"the passphrase must be at least {MIN_PASSPHRASE} characters "
            "(several words are easier to keep than symbols)"
        )


def _vendor() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise InvalidInput(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the configured database: the password never on a command line."""
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    env = dict(os.environ)
    for variable, value in {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }.items():
        if value:
            env[variable] = str(value)
    return env


def _run(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        raise InvalidInput(f"{tool} is not installed (on Debian: apt install postgresql-client)")
    done = subprocess.run(  # noqa: S603 - a fixed PostgreSQL tool, our own arguments
        [tool, *args], env=_postgres_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise InvalidInput(f"{tool} failed: {lines[0] if lines else f'exit {done.returncode}'}")


def _copy_database(vendor: str, target: Path) -> tuple[int, str]:
    """A consistent copy of the database into ``target``; the ledger's count and head in it."""
    connection = connections[DEFAULT_DB_ALIAS]
    if vendor == "sqlite":
        # One step of the backup API copies the whole file under one read lock: a snapshot,
        # without stopping the writers. The head is then read from the copy itself.
        source = sqlite3.connect(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"], timeout=20)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy, pages=-1)
            table = LedgerHead._meta.db_table
            row = copy.execute(f'SELECT seq, hash FROM "{table}" WHERE id = 1').fetchone()  # noqa: S608 - a table name from our model
        finally:
            copy.close()
            source.close()
        return (0, chain.GENESIS) if row is None else (int(row[0]), str(row[1]))
    with transaction.atomic():
        with connection.cursor() as cursor:
            # pg_dump reads the very snapshot in which the head is read.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        head = ledger_head_get()
        _run(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={target}",
        )
    return head


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup_destination(path: Path, *, at: datetime) -> Path:
    """``path`` itself, or a new file named by the instant inside ``path`` if it is a folder."""
    if path.is_dir():
        return path / f"consejo-{at.strftime('%Y%m%d-%H%M%S')}{SUFFIX}"
    if path.exists():
        raise Conflict(f"{path} exists already: name a new file, or a folder")
    if not path.parent.is_dir():
        raise InvalidInput(f"the folder {path.parent} does not exist")
    return path


def backup_create(*, destination: Path, passphrase: str) -> Manifest:
    """Write a sealed backup of the database and the uploaded files to ``destination``."""
    passphrase_check(passphrase)
    vendor = _vendor()
    try:
        return _backup_write(destination, passphrase, vendor)
    except OSError as error:
        raise InvalidInput(
            f"cannot write the backup in {destination.parent}: {error.strerror or error}"
        ) from None


def _backup_write(destination: Path, passphrase: str, vendor: str) -> Manifest:
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".consejo-backup-") as work:
        database = Path(work) / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
        entries, head = _copy_database(vendor, database)
        media = _media_files()
        manifest = Manifest(
            database=vendor,
            entries=entries,
            head=head,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            media_files=len(media),
        )
        partial = Path(work) / "sealed"
        with partial.open("wb") as out:
            os.fchmod(out.fileno(), 0o600)
            sealed = SealedWriter(out, passphrase)
            with tarfile.open(fileobj=sealed, mode="w|gz") as tar:  # type: ignore[call-overload]
                body = json.dumps(
                    {"format": FORMAT, "consejo": consejo.__version__, **_as_dict(manifest)},
                    indent=2,
                ).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(body), int(datetime.now(UTC).timestamp())
                tar.addfile(info, io.BytesIO(body))
                tar.add(database, arcname=database.name)
                root = Path(settings.MEDIA_ROOT)
                for path in media:
                    tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
            sealed.close()
            out.flush()
            os.fsync(out.fileno())
        # The finished file appears whole or not at all, and never over another.
        try:
            os.link(partial, destination)
        except FileExistsError:
            raise Conflict(f"{destination} exists already: name a new file") from None
        except OSError:
            # A file system without hard links (a FAT-formatted USB disk).
            if destination.exists():
                raise Conflict(f"{destination} exists already: name a new file") from None
            os.rename(partial, destination)
    return manifest


def _as_dict(manifest: Manifest) -> dict[str, Any]:
    return {name: getattr(manifest, name) for name in Manifest.__slots__}


def _read_manifest(root: Path) -> Manifest:
    try:
        data = json.loads((root / "manifest.json").read_text())
        if data.get("format") != FORMAT:
            raise InvalidInput(
                f"this backup has format {data.get('format')!r}; this consejo reads {FORMAT}"
            )
        return Manifest(**{name: data[name] for name in Manifest.__slots__})
    except (OSError, ValueError, KeyError, TypeError):
        raise InvalidInput("the archive opens but holds no readable manifest") from None


def _unpack(archive: Path, passphrase: str, work: Path) -> Manifest:
    plain = work / "plain.tar.gz"
    try:
        with archive.open("rb") as source, plain.open("wb") as out:
            unseal(source, out, passphrase)
    except OSError as error:
        raise InvalidInput(f"cannot read {archive}: {error.strerror or error}") from None
    root = work / "content"
    root.mkdir()
    try:
        with tarfile.open(plain, mode="r:gz") as tar:
            for member in tar.getmembers():
                name = member.name
                if not (
                    name in {"manifest.json", "database.sqlite3", "database.pgdump"}
                    or (name.startswith("media/") and member.isfile())
                ):
                    raise InvalidInput(f"the archive holds an unexpected file: {name!r}")
            tar.extractall(root, filter="data")
    except (tarfile.TarError, gzip.BadGzipFile, EOFError, OSError):
        raise InvalidInput("the archive opens but its contents are not a consejo backup") from None
    plain.unlink()
    return _read_manifest(root)


def _database_is_empty() -> bool:
    return not connections[DEFAULT_DB_ALIAS].introspection.table_names()


def _load_database(vendor: str, copy: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(copy)
        target = sqlite3.connect(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    connection.close()
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={_postgres_environment()['PGDATABASE']}",
        str(copy),
    )


def backup_restore(*, archive: Path, passphrase: str) -> chain.Verdict:
    """Restore ``archive`` into the configured, empty database; the verdict of its ledger.

    Nothing is written before the whole archive has been opened and checked. Raises
    :class:`~consejo.core.errors.LedgerBroken` if the restored ledger does not verify or does not
    end where the backup's did.
    """
    vendor = _vendor()
    if not archive.is_file():
        raise InvalidInput(f"no backup at {archive}")
    work_parent = Path(settings.VAR_DIR)
    work_parent.mkdir(parents=True, exist_ok=True)
    if not _database_is_empty():
        raise Conflict(
            "the configured database is not empty: restore into a new one "
            "(a new DATABASE_URL, or createdb), never over an installation"
        )
    with tempfile.TemporaryDirectory(dir=work_parent, prefix=".consejo-restore-") as work:
        manifest = _unpack(archive, passphrase, Path(work))
        if manifest.database != vendor:
            raise InvalidInput(
                f"this backup is of a {manifest.database} database; DATABASE_URL names {vendor}"
            )
        content = Path(work) / "content"
        media_root = Path(settings.MEDIA_ROOT)
        if manifest.media_files and media_root.is_dir() and any(media_root.iterdir()):
            raise Conflict(f"the media folder {media_root} is not empty")
        database = content / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
        _load_database(vendor, database)
        if (content / "media").is_dir():
            shutil.copytree(content / "media", media_root, dirs_exist_ok=True)
    # A backup from an older consejo is brought to this version's schema.
    call_command("migrate", interactive=False, verbosity=0)
    verdict = ledger_verify()
    if not verdict.ok:
        raise LedgerBroken(f"restored, but the ledger does not verify: {verdict}")
    if (verdict.entries, verdict.head) != (manifest.entries, manifest.head):
        raise LedgerBroken(
            f"restored, but the ledger ends at entry {verdict.entries} ({verdict.head}), "
            f"not where the backup's did ({manifest.entries}, {manifest.head})"
        )
    return verdict


def backup_prune(folder: Path, *, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest backups named by ``consejo backup`` in ``folder``."""
    backups = sorted(folder.glob(f"consejo-*{SUFFIX}"))
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed
