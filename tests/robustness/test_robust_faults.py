"""Faults: a full disk, two builds into one OUT, Google unreachable, slow or refusing, a damaged speech cache and a
damaged leaflet template. Each ends in one clear error (or is repaired), and nothing half-made is left behind.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy
import pytest
import requests
from babel.messages.pofile import read_po, write_po

from conftest import FIXTURES, LEAFLET, ROOT, SEED, summary
from leaflet.build import AudioOptions, build
from leaflet.catalogs import Layout, leaflet_template
from leaflet.config import load
from leaflet.errors import EngineError, LeafletError
from robust import assert_whole
from leaflet.speech.gtts import GttsEngine, send_with_requests

SHORT = FIXTURES / "audio" / "short-visit.txt"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Two copies of the short procedure, a speech cache of its own, run from its folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEAFLET_CACHE", str(tmp_path / "cache" / "speech"))
    (tmp_path / "procedures").mkdir()
    for name in ("visit-a", "visit-b"):
        shutil.copy(SHORT, tmp_path / "procedures" / f"{name}.txt")
    return tmp_path


def leaflet(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(LEAFLET), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "120", **(env or {})})


def one_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    """One line on stderr, exit status 1, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, (result.returncode, result.stderr)
    assert lines[0].startswith("leaflet: error: ") and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} if out.exists() else {}


# --- a full disk ------------------------------------------------------------------------------------------------

class FullDisk:
    """Files opened under one folder take `room` bytes in all, then fail as a full disk does: what fits is
    written, then OSError(ENOSPC). Installed over os.fdopen, which every atomic write opens its file with; a
    forked worker inherits it (with the room left at the fork)."""

    def __init__(self, folder: Path, room: int):
        self.folder, self.room = str(folder.resolve()), room
        self.fdopen = os.fdopen

    def __call__(self, fd, *args, **kwargs):
        handle = self.fdopen(fd, *args, **kwargs)
        if not os.readlink(f"/proc/self/fd/{fd}").startswith(self.folder + os.sep):
            return handle
        disk = self

        class Filling:
            def __init__(self):
                self.handle = handle

            def write(self, data):
                fits = max(0, min(len(data), disk.room))
                self.handle.write(data[:fits])
                disk.room -= fits
                if fits < len(data):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return fits

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def __getattr__(self, name):
                return getattr(self.handle, name)

        return Filling()


def test_a_full_disk_stops_the_build_with_its_file_and_keeps_what_was_made(project, monkeypatch):
    """In-process: the library raises one error naming the file; OUT keeps the earlier leaflets whole and a
    manifest that describes them."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which folder a file descriptor is in")
    out = project / "out"

    def build_pdfs():
        return build([project / "procedures"], layout=Layout(project / "translations"), config=load(), out=out,
                     locales=["en"], fmt="pdf", jobs=1, keep_going=True)

    build_pdfs()
    before = snapshot(out)
    pdf_size = len(before["visit-a/en/visit-a.pdf"])
    for name in ("visit-c", "visit-d"):
        shutil.copy(SHORT, project / "procedures" / f"{name}.txt")
    with monkeypatch.context() as patch, pytest.raises(LeafletError) as raised:
        patch.setattr(os, "fdopen", FullDisk(out, pdf_size // 2))
        build_pdfs()
    message = str(raised.value)
    assert "\n" not in message and "no space left on device" in message, message
    assert re.search(r"out/visit-[cd]/en/visit-[cd]\.pdf: cannot be written", message), message
    after = snapshot(out)
    assert {name: after[name] for name in before} == before  # the earlier outputs, byte for byte
    entries = assert_whole(out)
    assert set(entries) >= {"visit-a/en/visit-a.pdf", "visit-b/en/visit-b.pdf"}


def tmpfs(folder: Path, size: str):
    """A small tmpfs at `folder`, or a skip where mounting is not permitted (not root, a container without
    CAP_SYS_ADMIN, not Linux)."""
    folder.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")


def fill(folder: Path, leave: int) -> None:
    """Take all the free space of the disk holding `folder` but `leave` bytes."""
    info = os.statvfs(folder)
    free = info.f_bavail * info.f_frsize
    with open(folder / "filler", "wb") as filler:
        filler.write(b"\0" * max(0, free - leave))


def test_a_really_full_disk_is_one_error_line_naming_the_file(project):
    """The real command on a real full file system (a tmpfs, where the tests may mount one)."""
    disk = project / "disk"
    tmpfs(disk, "4m")
    try:
        out = disk / "out"
        first = leaflet("build", "procedures", "-l", "en", "--format", "pdf", "-o", str(out), cwd=project)
        assert first.returncode == 0, first.stderr
        before = snapshot(out)
        for name in ("visit-c", "visit-d"):
            shutil.copy(SHORT, project / "procedures" / f"{name}.txt")
        fill(disk, len(before["visit-a/en/visit-a.pdf"]) // 2)
        result = leaflet("build", "procedures", "-l", "en", "--format", "pdf", "-o", str(out), cwd=project)
        line = one_error(result, "no space left on device", "cannot be written")
        assert re.search(r"out/visit-[cd]/en/visit-[cd]\.pdf: ", line), line
        after = snapshot(out)
        assert {name: after[name] for name in before} == before
        assert set(assert_whole(out)) >= {"visit-a/en/visit-a.pdf", "visit-b/en/visit-b.pdf"}
        (disk / "filler").unlink()
        again = leaflet("build", "procedures", "-l", "en", "--format", "pdf", "-o", str(out), cwd=project)
        assert again.returncode == 0 and len(assert_whole(out)) == 4, again.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=True)


SITE_FULL_DISK = '''
import errno, os
_folder, _room = os.environ["TEST_FULL_DISK"], [int(os.environ["TEST_FULL_DISK_ROOM"])]
_fdopen = os.fdopen

class _Filling:
    def __init__(self, handle):
        self.handle = handle
    def write(self, data):
        fits = max(0, min(len(data), _room[0]))
        self.handle.write(data[:fits])
        _room[0] -= fits
        if fits < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fits
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.handle.close()
    def __getattr__(self, name):
        return getattr(self.handle, name)

def _full(fd, *args, **kwargs):
    handle = _fdopen(fd, *args, **kwargs)
    return _Filling(handle) if os.readlink(f"/proc/self/fd/{fd}").startswith(_folder + os.sep) else handle

os.fdopen = _full

# the suite's network guard is a sitecustomize too, behind this one on PYTHONPATH: load it here, as its own would
import no_network
no_network.install()
'''


def test_the_command_on_a_full_disk_says_so_in_one_line(project):
    """The real command with the same full disk put in at start-up (sitecustomize): every process of the build
    has `room` bytes in OUT; the guides' files fill it."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which folder a file descriptor is in")
    (project / "site").mkdir()
    (project / "site" / "sitecustomize.py").write_text(SITE_FULL_DISK, "utf-8")
    out = project / "out"
    first = leaflet("build", "procedures", "-l", "en", "--format", "pdf", cwd=project)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    env = {"PYTHONPATH": os.pathsep.join([str(project / "site"), os.environ["PYTHONPATH"]]),
           "TEST_FULL_DISK": str(out.resolve()), "TEST_FULL_DISK_ROOM": "150000"}
    result = leaflet("build", "procedures", "-l", "en", "--format", "audio", "--jobs", "1", cwd=project, env=env)
    line = one_error(result, "no space left on device", "cannot be written", "free some space")
    assert re.search(r"out/visit-[ab]/en/audio/[^ ]+\.mp3: ", line), line
    after = snapshot(out)
    assert {name: after[name] for name in before} == before
    assert set(assert_whole(out)) >= set(before) - {"manifest.json", ".manifest.json.lock"}


def test_a_file_in_the_way_of_one_output_fails_that_output_alone(project):
    """Not a full disk: the other outputs are made, and the one that cannot be is named with what is wrong."""
    blocked = project / "out" / "visit-b" / "en"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the English folder goes", "utf-8")
    result = leaflet("build", "procedures", "-l", "en", "--format", "pdf", cwd=project)
    errors = [line for line in result.stderr.splitlines() if line.startswith("leaflet: error: ")]
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert errors == ["leaflet: error: out/visit-b/en: cannot be made: a file stands where a folder is needed"]
    assert summary(result.stdout)["built"] == (1, 0) and summary(result.stdout)["failed"] == (1, 0)
    assert set(assert_whole(project / "out")) == {"visit-a/en/visit-a.pdf"}


# --- two builds into one OUT ------------------------------------------------------------------------------------

def test_two_builds_into_one_out_at_once_leave_every_file_whole_and_listed(project):
    command = [str(LEAFLET), "build", "procedures", "-l", "en", "--format", "all", "--jobs", "2"]
    env = {**os.environ, "COLUMNS": "120"}
    builds = [subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    for process in builds:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    out = project / "out"
    entries = assert_whole(out)
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert set(entries) == files - {"manifest.json"} and len(list(out.rglob("*.m3u8"))) == 2
    # what the manifest says of each file is what is on disk: a third build finds everything up to date
    third = leaflet("build", "procedures", "-l", "en", "--format", "all", cwd=project)
    assert third.returncode == 0 and summary(third.stdout)["up to date"] == (2, 2), third.stdout


# --- Google unreachable, silent or refusing ---------------------------------------------------------------------

@pytest.fixture
def no_proxy(monkeypatch):
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
                     "no_proxy"):
        monkeypatch.delenv(variable, raising=False)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Silent:
    """A server on 127.0.0.1 that accepts connections and never answers."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                return

    def close(self):
        self.socket.close()
        for connection in self.held:
            connection.close()


class TooManyRequests:
    """An HTTP server on 127.0.0.1 that answers every request 429 Too Many Requests, Retry-After: 0."""

    def __init__(self):
        import http.server

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(429)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.requests = 0
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def transport(self, request: requests.PreparedRequest, timeout: float):
        """The engine's own transport, sent here instead of to Google."""
        local = request.copy()
        local.url = f"http://127.0.0.1:{self.server.server_port}/_/TranslateWebserverUi/data/batchexecute"
        self.requests += 1
        return send_with_requests(local, timeout)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def guide_with(project: Path, engine: GttsEngine) -> tuple[EngineError, float]:
    started = time.monotonic()
    with pytest.raises(EngineError) as raised:
        build([project / "procedures" / "visit-a.txt"], layout=Layout(project / "translations"), config=load(),
              out=project / "out", locales=["en"], fmt="audio", jobs=1, keep_going=True,
              audio=AudioOptions(speech=engine, cache=project / "cache" / "speech"))
    return raised.value, time.monotonic() - started


def assert_nothing_half_made(project: Path) -> None:
    """The first sentence failed: no output, no manifest, no cache entry, no temporary file."""
    for folder in (project / "out", project / "cache" / "speech"):
        assert not [p for p in folder.rglob("*") if p.is_file()], folder


def test_no_network_ends_in_one_error_and_nothing_half_made(project, no_proxy, monkeypatch):
    """The real transport, through a proxy that is not there (as on a machine with no network)."""
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port()}")
    error, seconds = guide_with(project, GttsEngine(timeout=2, retries=1, backoff=0.05))
    assert seconds < 30 and "\n" not in str(error)
    assert "visit-a.txt [en]: gtts could not reach Google for en after 2 attempts" in str(error)
    assert_nothing_half_made(project)


def test_a_google_that_never_answers_times_out_in_one_error(project, no_proxy, monkeypatch):
    silent = Silent()
    try:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{silent.port}")
        error, seconds = guide_with(project, GttsEngine(timeout=0.5, retries=1, backoff=0.05))
    finally:
        silent.close()
    assert seconds < 30 and silent.held, "the engine never reached the silent server"
    assert "gtts could not reach Google for en after 2 attempts: no answer in time" in str(error)
    assert_nothing_half_made(project)


def test_too_many_requests_ends_in_one_error_after_the_retries(project, no_proxy):
    google = TooManyRequests()
    try:
        error, seconds = guide_with(project, GttsEngine(transport=google.transport, timeout=2, retries=2))
    finally:
        google.close()
    assert seconds < 30 and google.requests == 3
    assert "Google refused the en text (HTTP 429: too many requests) after 3 attempts" in str(error)
    assert_nothing_half_made(project)


def test_the_command_without_a_network_says_so_once(project):
    """The real command and its real retries (about 15 s of backing off): one line, not one per output."""
    env = {"HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}", "NO_PROXY": "", "no_proxy": ""}
    started = time.monotonic()
    result = leaflet("build", "procedures/visit-a.txt", "-l", "en", "--format", "audio", "--engine", "gtts",
                     cwd=project, env=env, timeout=90)
    assert time.monotonic() - started < 60
    one_error(result, "gtts could not reach Google for en after 5 attempts", "--engine espeak")
    assert_nothing_half_made(project)


# --- a damaged speech cache -------------------------------------------------------------------------------------

def samples(entry: Path):
    import soundfile

    return soundfile.read(str(entry), dtype="float32")[0]


def alike(a, b) -> float:
    """How alike two takes of speech are: the correlation of their loudness in 20 ms frames (two takes of one
    sentence by espeak-ng differ by a sample or two of shift, which sample-by-sample comparison cannot bear)."""
    def envelope(signal, width=441):
        frames = signal.size // width
        return numpy.sqrt((signal[: frames * width].reshape(frames, width) ** 2).mean(axis=1))

    a, b = envelope(a), envelope(b)
    size = min(a.size, b.size)
    return numpy.corrcoef(a[:size], b[:size])[0, 1]


def test_damaged_speech_cache_entries_are_asked_for_again_and_replaced(project):
    """Google's sentences are kept (espeak-ng's are spoken again instead). An entry that is cut short, garbage,
    empty or another sentence's is asked for again and replaced, never served. Each guide is made at another
    target, so that every step is made again from the kept sentences."""
    from leaflet.seal import open_cache
    from leaflet.speech.cache import _read
    from test_audio import SpeakingGoogle

    google = SpeakingGoogle()
    cache = project / "cache" / "speech"

    def guide(loudness: float):
        return build([project / "procedures" / "visit-a.txt"], layout=Layout(ROOT / "translations"), config=load(),
                     out=project / "out", locales=["en"], fmt="audio",
                     audio=AudioOptions(speech=GttsEngine(transport=google), cache=cache, loudness=loudness))

    first = guide(-19.0)
    audio = project / "out" / "visit-a" / "en" / "audio"
    made = snapshot(audio)
    entries = sorted(cache.rglob("*.flac"))
    assert len(entries) == first.synthesized >= 5
    kept = {entry: samples(entry) for entry in entries}
    truncated, garbage, empty, swapped, donor = entries[:5]
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    garbage.write_bytes(os.urandom(garbage.stat().st_size))
    empty.write_bytes(b"")
    shutil.copy(donor, swapped)  # a whole, valid FLAC: another sentence's
    asked = google.calls
    again = guide(-20.0)
    assert (again.synthesized, again.cached, again.steps_encoded) == (4, first.synthesized - 4, 5)  # none served
    assert google.calls == asked + 4
    seal = open_cache(cache)
    for entry in (truncated, garbage, empty, swapped):  # each replaced by the sentence it stands for
        assert _read(entry, entry.stem, seal) is not None and alike(samples(entry), kept[entry]) > 0.9, entry
    assert snapshot(audio).keys() == made.keys()
    assert not [p for p in (project / "cache").rglob("*") if p.name.endswith(".tmp")]
    third = guide(-21.0)
    assert (third.synthesized, third.cached) == (0, first.synthesized)  # every entry now reads back sealed
    assert google.calls == asked + 4


# --- a damaged leaflet template ---------------------------------------------------------------------------------

def test_a_hand_edited_leaflet_template_does_not_change_what_counts_as_complete(project):
    """Spanish misses one message of the leaflet's own wording, so it is not built by default; dropping that
    message from the template kept beside the speech cache must not make Spanish count as complete."""
    shutil.copy(SEED, project / "procedures" / SEED.name)
    shutil.copytree(ROOT / "translations" / "es", project / "translations" / "es")
    po = project / "translations" / "es" / "LC_MESSAGES" / "leaflet.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    dropped = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string and len(m.id) < 40 and '"' not in m.id)
    dropped.string = ""
    with po.open("wb") as handle:
        write_po(handle, catalog)
    build_seed = ("build", f"procedures/{SEED.name}", "--format", "pdf")
    # one date for both builds: the template's creation date is the minute it was extracted, and the two builds
    # can fall on either side of a minute (this failed on a clean clone)
    dated = {"SOURCE_DATE_EPOCH": "1767225600"}

    first = leaflet(*build_seed, cwd=project, env=dated)
    assert first.returncode == 0 and "1 untranslated" in first.stderr, first.stderr
    (template,) = (project / "cache" / "templates").glob("leaflet-*.pot")
    text = template.read_text("utf-8")
    block = f'msgid "{dropped.id}"'
    start = text.rindex("\n\n", 0, text.index(block)) + 2
    end = text.index("\n\n", start) + 2
    template.write_text(text[:start] + text[end:], "utf-8")  # still a valid PO file, one message short
    again = leaflet(*build_seed, cwd=project, env=dated)
    assert again.returncode == 0 and "1 untranslated" in again.stderr, again.stderr
    assert not (project / "out" / SEED.stem / "es").exists()
    assert template.read_text("utf-8") == text  # the edited copy was replaced by the extracted one


def test_the_leaflet_template_is_read_back_from_disk_when_it_is_whole(tmp_path, monkeypatch):
    """The seal must not make every process extract the template again (the cache's point)."""
    from leaflet import catalogs, make

    monkeypatch.setattr(make, "_TEMPLATE", [])
    first = make.leaflet_template_for(tmp_path / "speech")
    monkeypatch.setattr(make, "_TEMPLATE", [])
    monkeypatch.setattr(catalogs, "leaflet_template", lambda: pytest.fail("extracted again"))
    monkeypatch.setattr(make, "leaflet_template", lambda: pytest.fail("extracted again"))
    again = make.leaflet_template_for(tmp_path / "speech")
    assert sorted(str(m.id) for m in again if m.id) == sorted(str(m.id) for m in first if m.id)
    assert sorted(str(m.id) for m in first if m.id) == sorted(str(m.id) for m in leaflet_template() if m.id)
