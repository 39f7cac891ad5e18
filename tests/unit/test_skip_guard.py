"""Under CI, a skipped test fails the run, however it was skipped (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SKIPPED_MODULE = """
import pytest
pytest.skip("no browser here", allow_module_level=True)

def test_never_runs():
    assert False
"""
SKIPPED_TEST = """
import pytest

def test_skips():
    pytest.skip("no database here")
"""
PASSING = """
def test_passes():
    assert True
"""


# make test runs the suite on two workers (pytest-xdist): the guard must hold there too, where
# skips are reported by the workers to the process that decides the exit status.
WORKERS = pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "workers"])


def run_suite(
    tmp_path: Path, source: str, ci: bool, workers: list[str] = ()
) -> subprocess.CompletedProcess:
    """Runs ``source`` as a test file beside a passing one (so the run as a whole has tests),
    with the project's conftest hooks loaded as a plugin."""
    (tmp_path / "test_sample.py").write_text(source)
    (tmp_path / "test_other.py").write_text(PASSING)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", os.devnull, *workers, str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@WORKERS
@pytest.mark.parametrize("source", [SKIPPED_MODULE, SKIPPED_TEST], ids=["module", "test"])
def test_a_skip_fails_the_run_under_ci(tmp_path, source, workers):
    result = run_suite(tmp_path, source, ci=True, workers=workers)
    assert result.returncode != 0, result.stdout
    assert "CI counts as failure" in result.stdout


@WORKERS
def test_a_clean_run_passes_under_ci(tmp_path, workers):
    result = run_suite(tmp_path, PASSING, ci=True, workers=workers)
    assert result.returncode == 0, result.stdout
