"""How the suite's Hypothesis profiles draw: at random on a developer's machine, fixed in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[2]


def test_ci_draws_the_same_examples_on_every_run_and_a_developer_draws_anew() -> None:
    assert settings.get_profile("ci").derandomize is True
    assert settings.get_profile("ci").database is None
    assert settings.get_profile("dev").derandomize is False


def test_ci_true_loads_the_derandomized_profile() -> None:
    code = (
        "import tests.conftest\n"
        "from hypothesis import settings\n"
        "print(settings.default.derandomize, settings.default.max_examples)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"}
    ci = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        env={**env, "CI": "true"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    env.pop("CI", None)
    dev = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert ci.stdout.split() == ["True", "300"]
    assert dev.stdout.split() == ["False", "100"]
