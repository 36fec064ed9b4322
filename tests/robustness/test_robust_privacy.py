"""Privacy: nothing leaves the machine unless --engine gtts is chosen.

Every command runs with the network watched at the socket level: a sitecustomize on PYTHONPATH (loaded by the
command and inherited by its forked workers) replaces socket.socket.connect / connect_ex / sendto,
socket.create_connection, socket.getaddrinfo and socket.gethostbyname(_ex); any call is written to a log and the
process ends at once (nothing can leave, and the attempt cannot be retried away). The gtts build shows the watch
sees an attempt.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import FIXTURES, LEAFLET, ROOT, SEED

SHORT = FIXTURES / "audio" / "short-visit.txt"
CAUGHT = 97  # the exit status of a process stopped at its first network call

WATCH = '''
import os, socket

_log = os.environ["LEAFLET_NETWORK_LOG"]


def _caught(call, *args):
    with open(_log, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {call} {args!r}\\n")
    os._exit(%d)


def _watch(owner, name):
    def watched(*args, **kwargs):
        _caught(name, *args[1:] if owner is socket.socket else args)
    setattr(owner, name, watched)


for _name in ("connect", "connect_ex", "sendto"):
    _watch(socket.socket, _name)
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    _watch(socket, _name)
''' % CAUGHT


@pytest.fixture
def watched(tmp_path):
    """A working folder with the short procedure, the seed and Spanish catalogs; `run` runs leaflet watched."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(WATCH, "utf-8")
    (tmp_path / "procedures").mkdir()
    shutil.copy(SHORT, tmp_path / "procedures" / SHORT.name)
    shutil.copy(SEED, tmp_path / "procedures" / SEED.name)
    shutil.copytree(ROOT / "translations" / "es", tmp_path / "translations" / "es")
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "LEAFLET_NETWORK_LOG": str(log),
           "LEAFLET_CACHE": str(tmp_path / "cache"), "COLUMNS": "120"}

    def run(*args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
        result = subprocess.run([str(LEAFLET), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=300)
        return result, (log.read_text("utf-8").splitlines() if log.exists() else [])

    return run


def test_a_full_build_with_the_default_engine_touches_no_network(watched):
    result, attempts = watched("build", "procedures", "--format", "all", "--jobs", "2")
    assert attempts == [] and result.returncode == 0, (attempts, result.stderr)
    assert "wrote out/short-visit/en/audio/short-visit.mp3" in result.stdout
    assert "wrote out/hip-joint-denervation/es/hip-joint-denervation.pdf" in result.stdout


def test_the_gtts_engine_is_seen_reaching_for_the_network(watched):
    """The watch works: the one engine that sends text is caught at its first call."""
    result, attempts = watched("build", f"procedures/{SHORT.name}", "-l", "en", "--format", "audio",
                               "--engine", "gtts", "--jobs", "1")
    assert attempts and result.returncode != 0, (attempts, result.stderr)
    assert "translate.google.com" in attempts[0], attempts
    # the clinic is told before the first sentence leaves, not after the build
    assert "note: the gtts engine sends the text of the guides to Google" in result.stdout, result.stdout


@pytest.mark.parametrize("command", [
    ["--help"],
    ["build", "--help"],
    ["inspect", f"procedures/{SHORT.name}"],
    ["extract", "procedures"],
    ["status"],
    ["check"],
    ["voices"],
    ["voices", "--engine", "gtts"],
], ids=lambda command: " ".join(command))
def test_commands_that_make_nothing_touch_no_network(watched, command):
    if command[0] in ("status", "check"):
        watched("extract", "procedures")
    result, attempts = watched(*command)
    assert attempts == [] and result.returncode != CAUGHT, (attempts, result.stderr)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
