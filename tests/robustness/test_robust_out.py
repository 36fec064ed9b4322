"""Nothing written outside OUT: a link or a pipe planted under OUT, a damaged or foreign manifest, and a build
whose sources folder holds OUT, each through the real command. A refusal is one line naming what is wrong, exit
1, and no file outside OUT is added, changed or removed; a damaged manifest of leaflet's is rebuilt."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from robust import assert_whole, refused, run, snapshot

SHORT = FIXTURES / "audio" / "short-visit.txt"
CONFIG = '[clinic]\nname = "Riverside Clinic"\nphone = "555 0199"\n'  # no example-clinic warning on stderr
TIMEOUT = 30  # a build that waits on a pipe fails the test instead of blocking it
PDF = ["--format", "pdf", "-l", "en"]


@pytest.fixture
def clinic(tmp_path):
    """A folder with the short procedure and a clinic configuration, where the command is run."""
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "leaflet.toml").write_text(CONFIG, encoding="utf-8")
    shutil.copy(SHORT, folder / "short-visit.txt")
    return folder


@pytest.fixture
def victim(tmp_path):
    """A folder outside OUT that a link may point to, holding files named as leaflet names its own: step MP3s,
    a guide, a leaflet of the same name, a transcript and a manifest."""
    folder = tmp_path / "victim"
    folder.mkdir()
    for name, data in {"01-intro.mp3": b"ID3 a step of another guide", "02-arriving.mp3": b"ID3 another",
                       "short-visit.mp3": b"ID3 a guide", "short-visit.pdf": b"%PDF-1.7 someone else's leaflet",
                       "short-visit.txt": b"a transcript", "manifest.json": b'{"theirs": true}'}.items():
        (folder / name).write_bytes(data)
    return folder


def contents(root: Path) -> dict[str, bytes | None]:
    """Every name under root with its bytes (None for a folder): names, sizes and contents in one."""
    return {name: None if (root / name).is_dir() else (root / name).read_bytes() for name in snapshot(root)}


def build(clinic: Path, *args: str):
    return run("build", "short-visit.txt", *args, cwd=clinic, timeout=TIMEOUT)


# --- a link planted under OUT -----------------------------------------------------------------------------------

@pytest.mark.parametrize("level, args", [
    ("short-visit", PDF),
    ("short-visit/en", PDF),
    ("short-visit/en/audio", ["--format", "audio", "-l", "en"]),
])
def test_a_folder_link_planted_under_out_is_refused_and_nothing_outside_changes(clinic, victim, level, args):
    """The attack: OUT/<domain>/<locale>/audio linked to a folder had its step MP3s deleted and the guide written
    there; OUT/<domain>/<locale> linked replaced a PDF of the same name outside OUT."""
    link = clinic / "out" / level
    link.parent.mkdir(parents=True)
    link.symlink_to(victim, target_is_directory=True)
    before = contents(victim)
    refused(build(clinic, *args), f"out/{level}: is a symbolic link inside the output folder")
    assert contents(victim) == before
    assert link.is_symlink()


def test_a_link_planted_after_a_build_stops_the_rebuild(clinic, victim):
    """A guide made once, then its folder swapped for a link: the next build (--force) writes nothing there and
    deletes none of the step files the link points to."""
    args = ["--format", "audio", "-l", "en"]
    assert build(clinic, *args).returncode == 0
    audio = clinic / "out" / "short-visit" / "en" / "audio"
    shutil.rmtree(audio)
    audio.symlink_to(victim, target_is_directory=True)
    before = contents(victim)
    refused(build(clinic, *args, "--force"), "out/short-visit/en/audio", "symbolic link")
    assert contents(victim) == before


def test_a_link_under_a_stale_steps_name_is_removed_and_its_target_kept(clinic, victim):
    """A link named as a step the guide does not have (08-...) stayed in the published folder, serving a file
    from outside OUT as a step; it is removed as a stale step is, and what it pointed to is left alone."""
    args = ["--format", "audio", "-l", "en"]
    audio = clinic / "out" / "short-visit" / "en" / "audio"
    audio.mkdir(parents=True)
    (audio / "08-extra.mp3").symlink_to(victim / "01-intro.mp3")
    before = contents(victim)
    assert build(clinic, *args).returncode == 0
    assert not os.path.lexists(audio / "08-extra.mp3")
    assert contents(victim) == before


def test_a_link_in_a_files_place_is_replaced_not_written_through(clinic, victim):
    (clinic / "out" / "short-visit" / "en").mkdir(parents=True)
    (clinic / "out" / "short-visit" / "en" / "short-visit.pdf").symlink_to(victim / "short-visit.pdf")
    before = contents(victim)
    assert build(clinic, *PDF).returncode == 0
    assert contents(victim) == before
    assert set(assert_whole(clinic / "out")) == {"short-visit/en/short-visit.pdf"}
    assert not (clinic / "out" / "short-visit" / "en" / "short-visit.pdf").is_symlink()


@pytest.mark.parametrize("target", ["missing-lock", "short-visit.pdf"])
def test_a_lock_that_is_a_link_is_refused_and_never_created_through(clinic, victim, target):
    """The attack: a lock linked to a missing path made an empty file wherever it pointed."""
    (clinic / "out").mkdir()
    (clinic / "out" / ".manifest.json.lock").symlink_to(victim / target)
    before = contents(victim)
    refused(build(clinic, *PDF), "out/.manifest.json.lock: is a symbolic link")
    assert contents(victim) == before


def test_the_output_folder_itself_may_be_a_link_the_user_gave(clinic):
    """OUT is named by the user: a link there is followed, once; only links planted under it are refused."""
    (clinic / "elsewhere").mkdir()
    (clinic / "out-link").symlink_to(clinic / "elsewhere", target_is_directory=True)
    assert build(clinic, *PDF, "-o", "out-link").returncode == 0
    assert set(assert_whole(clinic / "elsewhere")) == {"short-visit/en/short-visit.pdf"}


# --- a pipe or a device where leaflet reads or locks ------------------------------------------------------------

@pytest.mark.parametrize("name, needle", [
    ("manifest.json", "the manifest is not a regular file"),
    (".manifest.json.lock", "is not a regular file"),
])
def test_a_pipe_in_out_is_refused_without_waiting(clinic, name, needle):
    """The attack: a FIFO at OUT/manifest.json or at its lock hung the build."""
    (clinic / "out").mkdir()
    os.mkfifo(clinic / "out" / name)
    refused(build(clinic, *PDF), f"out/{name}", needle)
    assert snapshot(clinic / "out") == {name}


def test_a_manifest_linked_to_a_device_is_refused_without_reading_it(clinic):
    """The attack: a manifest linked to /dev/zero ended in a MemoryError."""
    (clinic / "out").mkdir()
    (clinic / "out" / "manifest.json").symlink_to("/dev/zero")
    refused(build(clinic, *PDF), "out/manifest.json", "symbolic link")
    assert snapshot(clinic / "out") == {"manifest.json"}


# --- a damaged manifest of leaflet's, and another program's -----------------------------------------------------

DAMAGED = {
    "cut-short": b'{\n "manifest": 1,\n "outputs": {\n  "short-visit/en/short-visit.pdf": {\n   "dom',
    "empty": b"",
    "not-utf8": b'{"manifest": 1, "outputs": {"\xff": {}}}',
    "outputs-a-number": b'{"manifest": 1, "outputs": 5}',
    "outputs-a-list": b'{"manifest": 1, "generator": "leaflet", "outputs": [1, 2]}',
    "entries-of-every-wrong-type": json.dumps({"manifest": 1, "outputs": {
        "a/en/a.pdf": [1], "b/en/b.pdf": "text", "c/en/c.pdf": 5, "d/en/d.pdf": None,
        "e/en/e.pdf": {"domain": [], "locale": {}, "format": 1},
        "f/en/f.pdf": {"domain": "f", "locale": "en", "format": "pdf", "inputs": "x", "sha256": "x", "depends": {},
                       "bytes": "1", "mtime_ns": True},
        "../../outside.pdf": {"domain": "g", "locale": "en", "format": "pdf", "inputs": "x", "sha256": "x",
                              "depends": {}, "bytes": 1, "mtime_ns": 1},
    }}).encode(),
    "another-version": b'{"manifest": 99, "outputs": {}}',
    "deep-nesting-in-an-entry": b'{"manifest": 1, "outputs": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
}


@pytest.mark.parametrize("name", DAMAGED)
def test_a_damaged_manifest_is_rebuilt_with_one_warning(clinic, name):
    """Wrong types and deep nesting ended in an internal error (exit 70): a damaged manifest records nothing
    that is damaged, and is written anew."""
    (clinic / "out").mkdir()
    (clinic / "out" / "manifest.json").write_bytes(DAMAGED[name])
    result = build(clinic, *PDF)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "manifest.json" in line]
    assert len(warnings) == 1 and warnings[0].startswith("leaflet: warning: out/manifest.json: "), result.stderr
    document = json.loads((clinic / "out" / "manifest.json").read_text("utf-8"))
    assert document["generator"] == "leaflet" and document["manifest"] == 1
    assert set(assert_whole(clinic / "out")) == {"short-visit/en/short-visit.pdf"}


def test_an_entry_copied_under_a_path_with_a_nul_is_dropped_as_damaged(clinic):
    """The file system refuses to be asked about a path with a NUL in it: such an entry was an internal error."""
    assert build(clinic, *PDF).returncode == 0
    path = clinic / "out" / "manifest.json"
    document = json.loads(path.read_text("utf-8"))
    name, entry = next(iter(document["outputs"].items()))
    document["outputs"][name + "\u0000x"] = entry
    path.write_text(json.dumps(document), "utf-8")
    result = build(clinic, *PDF)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "1 of its 2 entries are damaged" in result.stderr


def test_a_manifest_from_before_the_mark_is_still_leaflets(clinic):
    """A manifest written before `generator` was added keeps its entries: the leaflet is up to date."""
    assert build(clinic, *PDF).returncode == 0
    path = clinic / "out" / "manifest.json"
    document = json.loads(path.read_text("utf-8"))
    del document["generator"]
    path.write_text(json.dumps(document), "utf-8")
    result = build(clinic, *PDF)
    assert result.returncode == 0 and "manifest" not in result.stderr, result.stderr
    assert "up to date       1" in result.stdout


FOREIGN = {
    "array": b"[1, 2, 3]\n",
    "string": b'"manifest"',
    "object-without-the-shape": b'{"x": 5}',
    "another-tools-manifest": b'{"name": "site", "version": "2.1.0", "files": {"index.html": "abc"}}\n',
    "leaflets-keys-and-more": b'{"manifest": 1, "outputs": {}, "files": []}',
    # not JSON to Python, but not begun as leaflet begins its manifest: overwritten as damaged, until they were not
    "web-app-manifest-with-a-byte-order-mark": b'\xef\xbb\xbf{"name": "Clinic", "start_url": "/"}',
    "utf-16": '{"name": "Clinic"}'.encode("utf-16"),
    "json-with-comments": b'// settings\n{"name": "Clinic"}',
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("name", FOREIGN)
def test_another_programs_manifest_is_refused_and_left_as_it_was(clinic, name):
    (clinic / "out").mkdir()
    (clinic / "out" / "manifest.json").write_bytes(FOREIGN[name])
    refused(build(clinic, *PDF), "out/manifest.json: is not leaflet's manifest", "-o")
    assert (clinic / "out" / "manifest.json").read_bytes() == FOREIGN[name]
    assert snapshot(clinic / "out") == {"manifest.json"}


# --- OUT inside the sources folder ------------------------------------------------------------------------------

def plant_outputs(out: Path) -> None:
    """What a guide leaves in OUT that reads as a procedure: its transcript and spoken script are .txt."""
    audio = out / "old-visit" / "en" / "audio"
    audio.mkdir(parents=True)
    shutil.copy(SHORT, audio / "old-visit.txt")
    shutil.copy(SHORT, audio / "old-visit.spoken.txt")
    shutil.copy(SHORT, out / "notes.txt")


@pytest.mark.parametrize("args, out", [([], "out"), (["-o", "build/leaflets"], "build/leaflets")])
def test_building_the_current_folder_never_reads_its_own_outputs(clinic, args, out):
    plant_outputs(clinic / out)
    result = run("build", ".", *PDF, *args, cwd=clinic, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "old-visit" not in result.stdout + result.stderr and "notes" not in result.stdout + result.stderr
    assert set(assert_whole(clinic / out)) == {"short-visit/en/short-visit.pdf"}


def test_a_path_given_inside_out_is_refused(clinic):
    plant_outputs(clinic / "out")
    before = contents(clinic / "out")
    for given in ("out", "out/old-visit/en/audio/old-visit.txt"):
        refused(run("build", given, *PDF, cwd=clinic, timeout=TIMEOUT), given, "inside the output folder out")
    assert contents(clinic / "out") == before


def test_another_builds_out_in_the_folder_is_not_read_either(clinic):
    """An earlier build's ./out, when this one writes elsewhere with -o, is known by its lock and left out."""
    first = run("build", ".", *PDF, cwd=clinic, timeout=TIMEOUT)
    assert first.returncode == 0, first.stderr
    assert (clinic / "out" / ".manifest.json.lock").is_file()
    plant_outputs(clinic / "out")
    result = run("build", ".", *PDF, "-o", "elsewhere", cwd=clinic, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "old-visit" not in result.stdout + result.stderr and "notes" not in result.stdout + result.stderr
    assert set(assert_whole(clinic / "elsewhere")) == {"short-visit/en/short-visit.pdf"}
    assert "out: left out: another build's output folder" in result.stderr  # said, never silent
    # a copy of that OUT without its hidden lock is known by leaflet's manifest
    shutil.copytree(clinic / "out", clinic / "copy", ignore=shutil.ignore_patterns(".*"))
    assert not (clinic / "copy" / ".manifest.json.lock").exists()
    result = run("build", ".", *PDF, "-o", "elsewhere", cwd=clinic, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "old-visit" not in result.stdout + result.stderr and "copy: left out" in result.stderr
