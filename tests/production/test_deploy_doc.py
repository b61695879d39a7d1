"""docs/deploy.md is a path that works: linked from the README, its environment file passes
`check --deploy`, and every consejo command it runs exists."""

from __future__ import annotations

import re
from pathlib import Path

from tests.production.conftest import consejo, environment

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()


def test_the_readme_links_the_deployment_guide() -> None:
    assert "(docs/deploy.md)" in (ROOT / "README.md").read_text()


def _documented_environment() -> dict[str, str]:
    block = DEPLOY.split("# /etc/consejo/consejo.env\n", 1)[1].split("```", 1)[0]
    return dict(line.split("=", 1) for line in block.strip().splitlines())


def test_the_documented_environment_file_passes_check_deploy(tmp_path: Path) -> None:
    documented = _documented_environment()
    assert documented["CONSEJO_BEHIND_PROXY"] == "true"
    assert documented["DATABASE_URL"].startswith("postgres")
    env = environment(tmp_path / "var", documented["DATABASE_URL"])
    env.pop("CONSEJO_HTTPS")
    env.update({**documented, "CONSEJO_VAR_DIR": str(tmp_path / "var")})
    done = consejo(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_every_consejo_command_the_guide_runs_exists(tmp_path: Path) -> None:
    listed = consejo(
        environment(tmp_path / "var", f"sqlite:///{tmp_path / 'x.sqlite3'}"),
        "help",
        "--commands",
    )
    commands = set(listed.stdout.split())
    run = set(re.findall(r"^(?:ExecStart=/opt/consejo/venv/bin/)?consejo ([a-z]+)", DEPLOY, re.M))
    assert {"serve", "backup", "restore", "migrate", "collectstatic"} <= run
    assert run <= commands, run - commands
