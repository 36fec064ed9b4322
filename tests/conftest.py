"""Shared test helpers: run the real `leaflet` command, check catalogs with GNU msgfmt; the network guard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = Path(__file__).resolve().parent / "offline"  # the network guard, loaded by every process the tests start
sys.path.insert(0, str(OFFLINE))

# No test reaches another host unless it is marked `network` and asked for: the guard's hooks, here as a conftest's
from pytest_no_network import (  # noqa: E402,F401
    pytest_collection_modifyitems, pytest_configure, pytest_runtest_call, pytest_runtest_setup,
    pytest_runtest_teardown, pytest_sessionfinish, pytest_unconfigure,
)

SEED = ROOT / "assets" / "procedures" / "hip-joint-denervation.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LEAFLET = Path(sys.executable).parent / "leaflet"


def run_leaflet(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    """Run the installed `leaflet` command as a user would."""
    result = subprocess.run(
        [str(LEAFLET), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "120"},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"leaflet {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result


def summary(stdout: str) -> dict[str, tuple[int, int]]:
    """The build's summary table: row ("built", "up to date", "refused", "failed") -> (PDFs, audio guides)."""
    rows = {}
    for line in stdout.splitlines():
        words = line.rsplit(None, 2)
        if len(words) == 3 and words[0] in ("built", "up to date", "refused", "failed"):
            rows[words[0]] = (int(words[1]), int(words[2]))
    return rows


@pytest.fixture
def leaflet_cmd():
    return run_leaflet


@pytest.fixture
def msgfmt_check():
    """GNU msgfmt --check on a POT or PO; make setup installs gettext, CI must have it."""
    tool = shutil.which("msgfmt")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext's msgfmt is missing: run make setup")
        pytest.skip("GNU gettext's msgfmt is not installed (make setup installs it)")

    def check(path: Path) -> None:
        result = subprocess.run([tool, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"msgfmt --check {path}:\n{result.stderr}"

    return check


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty working directory with the seed procedure copied in."""
    (tmp_path / "procedures").mkdir()
    shutil.copy(SEED, tmp_path / "procedures" / SEED.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True, scope="session")
def speech_cache(tmp_path_factory):
    """One speech cache for the whole run, never the user's own (~/.cache/leaflet): sentences the suite has
    synthesized once are reused, as a clinic's rebuilds reuse them."""
    root = tmp_path_factory.mktemp("speech-cache")
    previous = os.environ.get("LEAFLET_CACHE")
    os.environ["LEAFLET_CACHE"] = str(root)
    yield root
    if previous is None:
        os.environ.pop("LEAFLET_CACHE", None)
    else:
        os.environ["LEAFLET_CACHE"] = previous
