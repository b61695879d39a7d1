"""The `consejo` command as a user runs it: a real process, its stdout, stderr and exit status;
and the same in a process that fails if Django is imported."""

from __future__ import annotations

import os
import subprocess
import sys

CONSEJO = [sys.executable, "-m", "consejo.cli"]
#: ``consejo <arguments>`` in a process that fails if Django is imported (the commands that read
#: a file and need no database run without it: consejo.offline).
NO_DJANGO = (
    "import runpy, sys; sys.argv = ['consejo'] + sys.argv[1:];"
    "exit_code = 0\n"
    "try:\n    runpy.run_module('consejo.cli', run_name='__main__')\n"
    "except SystemExit as e:\n    exit_code = e.code or 0\n"
    "assert 'django' not in sys.modules, 'Django was imported'\n"
    "sys.exit(exit_code)"
)


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CONSEJO_HTTPS", "SECRET_KEY"}
    }
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [*CONSEJO, *args],
        env={**base, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_without_django(*args: str) -> subprocess.CompletedProcess[str]:
    """``consejo <args>`` from the shell, in a process that must not import Django."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-c", NO_DJANGO, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
