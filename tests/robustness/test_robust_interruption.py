"""Interruption: Ctrl-C and SIGTERM in the middle of a batch leave only whole files in OUT, a valid manifest and one
short message, and the next build completes.

Each case runs the real command over copies of the short procedure (PDFs and audio guides, a cold speech cache of
its own), sends a signal at a moment read from the disk or the process table (not from a clock), and checks
what is left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import soundfile

from conftest import FIXTURES, LEAFLET
from robust import assert_whole

SHORT = FIXTURES / "audio" / "short-visit.txt"
COPIES = 4
PROMPT = 15.0  # seconds from the signal to the end of the process
BUILD = ["build", "procedures", "-l", "en", "--format", "all"]
INTERRUPTED = "leaflet: interrupted"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "procedures").mkdir()
    for number in range(COPIES):
        shutil.copy(SHORT, tmp_path / "procedures" / f"visit-{number}.txt")
    return tmp_path


def environment(project: Path) -> dict:
    return {**os.environ, "LEAFLET_CACHE": str(project / "cache"), "COLUMNS": "120"}


def start(project: Path, jobs: int) -> subprocess.Popen:
    """The build in a session of its own: its process group is what a terminal's Ctrl-C reaches."""
    return subprocess.Popen([str(LEAFLET), *BUILD, "--jobs", str(jobs)], cwd=project, env=environment(project),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def children(process: subprocess.Popen) -> list[int]:
    try:
        return [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    except OSError:
        return []


# The moments a signal is sent at, each a state of the process or of the disk.
MOMENTS = {
    "workers starting": lambda project, process: bool(children(process)),
    "early": lambda project, process: any((project / "steps").rglob("*.mp3step")),  # the first step is made
    "mid-way": lambda project, process: any((project / "out").rglob("*.m3u8")),  # the first guide is written
}


def wait_for(moment: str, project: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not MOMENTS[moment](project, process):
        assert process.poll() is None, f"the build ended before the {moment!r} moment: {process.communicate()}"
        assert time.monotonic() < deadline, f"no {moment!r} moment in 120 s"
        time.sleep(0.002)


def interrupt(process: subprocess.Popen, signum: int, target: str) -> tuple[int, str, float]:
    """Send the signal; the exit status, stderr and how long the process took to end after it."""
    sent = time.monotonic()
    if target == "group":
        os.killpg(process.pid, signum)
    elif target == "main":
        process.send_signal(signum)
    else:  # one worker process alone
        os.kill(children(process)[0], signum)
    try:
        _, stderr = process.communicate(timeout=PROMPT + 30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the build did not end within {PROMPT + 30:.0f} s of the signal")
    return process.returncode, stderr, time.monotonic() - sent


def assert_cache_whole(cache: Path) -> None:
    """The speech cache and the step cache beside it hold no temporary file and only whole, sealed entries."""
    from leaflet.render.steps import _read
    from leaflet.seal import open_cache

    steps, seal = cache.parent / "steps", open_cache(cache)
    assert not [p for folder in (cache, steps) for p in folder.rglob("*") if p.name.endswith(".tmp")]
    for entry in cache.rglob("*.flac"):
        assert soundfile.info(str(entry)).frames > 0, entry
    for entry in steps.rglob("*.mp3step"):
        assert _read(entry, entry.stem, seal) is not None, entry


def assert_next_build_completes(project: Path) -> None:
    again = subprocess.run([str(LEAFLET), *BUILD, "--jobs", "2"], cwd=project, env=environment(project),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    out = project / "out"
    entries = assert_whole(out)
    made = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert set(entries) == made - {"manifest.json"}
    assert len(list(out.rglob("*.pdf"))) == COPIES and len(list(out.rglob("*.m3u8"))) == COPIES


CASES = [
    # (signal, sent to, moment, --jobs)
    ("SIGINT", "group", "workers starting", 2),
    ("SIGINT", "group", "early", 2),
    ("SIGINT", "group", "mid-way", 2),
    ("SIGTERM", "main", "early", 2),
    ("SIGTERM", "group", "mid-way", 2),
    ("SIGTERM", "worker", "mid-way", 2),
    ("SIGINT", "group", "early", 1),
    ("SIGTERM", "main", "mid-way", 1),
]


@pytest.mark.parametrize("name, target, moment, jobs", CASES, ids=["-".join(map(str, case)) for case in CASES])
def test_an_interrupted_batch_leaves_only_whole_files_and_the_next_build_completes(project, name, target, moment, jobs):
    process = start(project, jobs)
    wait_for(moment, project, process)
    status, stderr, seconds = interrupt(process, getattr(signal, name), target)
    assert seconds < PROMPT, f"{seconds:.1f} s after the signal"
    # a worker killed on its own is an error of the build, not an interruption of it
    # 128 + the signal's number, as a shell reports a command a signal ended: 130 for Ctrl-C, 143 for SIGTERM
    stopped = 128 + getattr(signal, name)
    expected = (1, "leaflet: error: a worker process was ended") if target == "worker" else (stopped, INTERRUPTED)
    assert "Traceback" not in stderr and "Exception" not in stderr, stderr
    assert stderr.strip().splitlines() == [stderr.strip()] and stderr.startswith(expected[1]), stderr
    assert status == expected[0], (status, stderr)
    assert_whole(project / "out", manifest_required=False)
    assert_cache_whole(project / "cache")
    assert_next_build_completes(project)


# Holds `leaflet check` at the moment it opens the catalog it was given, and says so in a file: the signal then
# comes in the middle of the command's work by construction, however fast the machine or the check. (A catalog
# big enough to take a CPU-second was a race: a faster check ended before the signal.) The suite's network guard
# is a sitecustomize too, behind this one on PYTHONPATH: it is loaded here.
SITE_HOLD = '''
import os, sys, time
import no_network
no_network.install()

_name, _holding = os.environ["TEST_HOLD_NAME"], os.environ["TEST_HOLD_FILE"]
_held = []


def _hold(event, args):
    if event == "open" and not _held and os.path.basename(os.fsdecode(args[0])) == _name:
        _held.append(True)
        with open(_holding, "w"):
            pass
        while True:  # until the signal's handler raises or exits
            time.sleep(0.05)


sys.addaudithook(_hold)
'''


@pytest.mark.parametrize("name, target", [("SIGINT", "group"), ("SIGTERM", "main")])
def test_a_signal_in_a_command_other_than_build_says_so(tmp_path, name, target):
    """Typer would turn a Ctrl-C it catches itself into a silent exit 130: leaflet says why it stopped. The signal
    comes while `leaflet check` is opening the catalog it checks (held there, see SITE_HOLD)."""
    po = tmp_path / "translations" / "es" / "LC_MESSAGES" / "held.po"
    po.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n\n'
    po.write_text(header + 'msgid "Take 2 tablets with water."\nmsgstr "Tome 2 comprimidos con agua."\n', "utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(SITE_HOLD, "utf-8")
    holding = tmp_path / "holding"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), os.environ["PYTHONPATH"]]),
           "TEST_HOLD_NAME": po.name, "TEST_HOLD_FILE": str(holding)}
    process = subprocess.Popen([str(LEAFLET), "check", str(po)], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)
    deadline = time.monotonic() + 60
    while not holding.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.01)
    status, stderr, seconds = interrupt(process, getattr(signal, name), target)
    assert seconds < PROMPT and (status, stderr.strip()) == (128 + getattr(signal, name), "leaflet: interrupted")
