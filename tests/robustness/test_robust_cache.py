"""Caches that cannot be forged (issue 21). The speech cache, the step cache and the leaflet template's copy are
the user's alone: an entry sealed without the cache's secret (the old plain digest, a digest in the new layout,
another key, another entry's bytes under its name) is made again, never served; a cache folder that someone else
owns or can write to, or a key that someone else could have read, is refused in one line before anything is
written; a pipe, a device or an oversized file where an entry is kept is made again, without waiting. Each case
runs the real command with a cache of its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import numpy
import pytest
from babel.messages.pofile import read_po, write_po

from conftest import FIXTURES, LEAFLET, ROOT, SEED
from leaflet.render.sound import decode_mp3
from leaflet.seal import KEY_BYTES, Seal, open_cache
from robust import id3_free, refused, run, snapshot

SHORT = FIXTURES / "audio" / "short-visit.txt"
GUIDE = ("-v", "build", SHORT, "--format", "audio", "-l", "en", "--force", "-o", "out")
TIMEOUT = 30  # every run: a build that waits on a pipe or reads a device for ever fails here
FRAME = 1152  # samples in an MPEG frame: two takes of a step may differ by one
OTHER_UID = 54321  # a user who is not this one (the suite runs as root here; without root, those cases skip)
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a folder another user's takes root")


def guide(project: Path, *more: str):
    started = time.monotonic()
    result = run(*GUIDE, *more, cwd=project, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < TIMEOUT
    return result


def step_lengths(project: Path) -> dict[str, int]:
    """Each step file's decoded length in samples."""
    folder = project / "out" / SHORT.stem / "en" / "audio"
    return {path.name: decode_mp3(path.read_bytes())[0].size for path in sorted(folder.glob("0*.mp3"))}


def step_sounds(project: Path) -> list[bytes]:
    folder = project / "out" / SHORT.stem / "en" / "audio"
    return [id3_free(path.read_bytes()) for path in sorted(folder.glob("0*.mp3"))]


def entries(project: Path) -> list[Path]:
    return sorted((project / "cache" / "steps").rglob("*.mp3step"))


def the_seal(project: Path) -> Seal:
    return open_cache(project / "cache" / "speech")


def folder(path: Path, mode: int = 0o700) -> Path:
    """A folder and any missing above it, at `mode` whatever the umask."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)
    return path


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """One clean build, with a loose umask (0002): its folder, and each step's decoded length."""
    project = tmp_path_factory.mktemp("clean")
    umask = os.umask(0o002)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("LEAFLET_CACHE", str(project / "cache" / "speech"))
            guide(project)
    finally:
        os.umask(umask)
    return project, step_lengths(project)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder of its own with a cache of its own (nothing in it yet)."""
    monkeypatch.setenv("LEAFLET_CACHE", str(tmp_path / "cache" / "speech"))
    return tmp_path


@pytest.fixture
def warm(clean, project):
    """The project with a copy of the clean build's cache (modes kept)."""
    shutil.copytree(clean[0] / "cache", project / "cache", symlinks=True)
    return project


# --- (a) step entries re-sealed by someone without the secret ---------------------------------------------------

def parts(entry: bytes) -> tuple[bytes, bytes]:
    """A step entry's measurements and frames."""
    from leaflet.render.steps import _SEAL

    head, _, frames = entry.partition(b"\n")
    return head.removeprefix(_SEAL).partition(b" ")[2], frames


def digest(name: str, measurements: bytes, frames: bytes) -> bytes:
    """The seal before issue 21: a plain digest, which needs no secret."""
    return hashlib.sha256(name.encode("ascii") + b"\0" + measurements + b"\0" + frames).hexdigest().encode("ascii")


def old_seal(name: str, donor: bytes) -> bytes:
    """What the attacker wrote: the donor's sound under this entry's name, sealed as leaflet sealed then."""
    measurements, frames = parts(donor)
    return b"leaflet step sha256 " + digest(name, measurements, frames) + b" " + measurements + b"\n" + frames


def digest_in_new_layout(name: str, donor: bytes) -> bytes:
    from leaflet.render.steps import _SEAL

    measurements, frames = parts(donor)
    return _SEAL + digest(name, measurements, frames) + b" " + measurements + b"\n" + frames


def another_key(name: str, donor: bytes) -> bytes:
    """Sealed by leaflet's own code, with the attacker's own cache's key."""
    from leaflet.render.steps import _SEAL

    measurements, frames = parts(donor)
    mark = Seal(os.urandom(KEY_BYTES)).of("step", name, measurements, frames)
    return _SEAL + mark + b" " + measurements + b"\n" + frames


def copied(name: str, donor: bytes) -> bytes:
    return donor


@pytest.mark.parametrize("forge", [old_seal, digest_in_new_layout, another_key, copied])
def test_step_entries_resealed_with_another_steps_sound_are_made_again(warm, clean, forge):
    donor, *others = entries(warm)
    sound = donor.read_bytes()
    for entry in others:
        entry.write_bytes(forge(entry.stem, sound))
    result = guide(warm)
    assert f"steps: {len(others)} encoded, 1 from the step cache" in result.stderr + result.stdout
    sounds = step_sounds(warm)
    assert len(set(sounds)) == len(sounds) == len(clean[1])  # five steps, five sounds: none is another's
    lengths = step_lengths(warm)
    assert lengths.keys() == clean[1].keys()
    for name, length in lengths.items():
        assert abs(length - clean[1][name]) <= FRAME, name
    seal = the_seal(warm)
    from leaflet.render.steps import _read

    assert all(_read(entry, entry.stem, seal) is not None for entry in entries(warm))  # replaced, sealed


def test_a_speech_entry_is_served_only_when_sealed_with_the_caches_secret(tmp_path):
    # Google's sentences are kept (espeak-ng's are not): the entry is read here, without the network
    from leaflet.speech import Speech
    from leaflet.speech.cache import _flac, _read, _seal

    seal = open_cache(tmp_path / "cache" / "speech")
    samples = (numpy.sin(numpy.arange(22050) / 9) * 8000).astype("<i2").tobytes()
    key, other = "ab" * 32, "cd" * 32
    entry = tmp_path / "entry.flac"
    entry.write_bytes(_flac(Speech(samples, 22050, _seal(seal, key, 22050, samples))))
    assert _read(entry, key, seal).samples == samples
    assert _read(entry, other, seal) is None  # another sentence's entry copied under this name
    entry.write_bytes(_flac(Speech(samples, 22050, _seal(Seal(os.urandom(KEY_BYTES)), key, 22050, samples))))
    assert _read(entry, key, seal) is None  # sealed with someone else's key
    entry.write_bytes(_flac(Speech(samples, 22050, "leaflet sha256 " + hashlib.sha256(
        key.encode("ascii") + b"\0" + samples).hexdigest())))
    assert _read(entry, key, seal) is None  # sealed as before issue 21


def test_a_speech_entry_that_is_a_pipe_a_device_or_too_large_is_a_miss_at_once(tmp_path):
    from leaflet.speech.cache import ENTRY_LIMIT, _read

    seal = Seal(os.urandom(KEY_BYTES))
    pipe, device, large = tmp_path / "pipe.flac", tmp_path / "device.flac", tmp_path / "large.flac"
    os.mkfifo(pipe)
    device.symlink_to("/dev/zero")
    with large.open("wb") as file:
        file.truncate(ENTRY_LIMIT + 1)
    started = time.monotonic()
    assert [_read(path, "ab" * 32, seal) for path in (pipe, device, large)] == [None, None, None]
    assert time.monotonic() - started < 5


# --- (b) the leaflet template's copy re-sealed with an edited template -----------------------------------------

@pytest.fixture
def spanish(project):
    """The seed with the shipped Spanish catalogs, one message of the leaflet's wording left untranslated: Spanish
    is not built by default. Returns that message's id."""
    folder(project / "procedures", 0o755)
    shutil.copy(SEED, project / "procedures" / SEED.name)
    shutil.copytree(ROOT / "translations" / "es", project / "translations" / "es")
    po = project / "translations" / "es" / "LC_MESSAGES" / "leaflet.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    dropped = next(m for m in catalog
                   if m.id and isinstance(m.id, str) and m.string and len(m.id) < 40 and '"' not in m.id)
    dropped.string = ""
    with po.open("wb") as handle:
        write_po(handle, catalog)
    return dropped.id


def template_copy(project: Path) -> Path:
    from leaflet.inputs import code

    return folder(project / "cache" / "templates") / f"leaflet-{code()}.pot"


def without(message: str) -> bytes:
    """The extracted template, one message short: with it, the Spanish catalogs would count as complete."""
    from leaflet.catalogs import leaflet_template, serialize

    text = serialize(leaflet_template(), document=False).decode("utf-8")
    start = text.rindex("\n\n", 0, text.index(f'msgid "{message}"')) + 2
    end = text.index("\n\n", start) + 2
    return (text[:start] + text[end:]).encode("utf-8")


@pytest.mark.parametrize("sealed", [
    lambda name, data: b"# leaflet template sha256 " + hashlib.sha256(data).hexdigest().encode("ascii"),
    lambda name, data: b"# leaflet template hmac-sha256 " + hashlib.sha256(data).hexdigest().encode("ascii"),
    lambda name, data: b"# leaflet template hmac-sha256 " + Seal(os.urandom(KEY_BYTES)).of("template", name, data),
], ids=["old seal", "digest in the new layout", "another key"])
def test_a_template_copy_resealed_after_an_edit_is_ignored(project, spanish, sealed):
    from leaflet.make import _kept_template

    copy = template_copy(project)
    edited = without(spanish)
    copy.write_bytes(sealed(copy.name, edited) + b"\n" + edited)
    result = run("build", f"procedures/{SEED.name}", "--format", "pdf", cwd=project, timeout=TIMEOUT)
    assert result.returncode == 0 and "1 untranslated" in result.stderr, result.stderr
    assert not (project / "out" / SEED.stem / "es").exists()
    kept = _kept_template(copy, the_seal(project))  # replaced by the extracted copy, sealed with the secret
    assert kept is not None and any(message.id == spanish for message in kept)


# --- (c) a cache folder that is not the user's alone ------------------------------------------------------------

def home_group_writable(project):
    return folder(project / "cache", 0o770), "can be written by other users (mode 0770)"


def root_world_writable(project):
    folder(project / "cache")
    return folder(project / "cache" / "speech", 0o777), "can be written by other users (mode 0777)"


def shard_group_writable(project):  # as an earlier leaflet made it under umask 0002
    folder(project / "cache" / "speech")
    return folder(project / "cache" / "steps" / "ab", 0o775), "chmod -R go-w"


def root_of_another_user(project):
    root = folder(project / "cache" / "speech")
    os.chown(root, OTHER_UID, OTHER_UID)
    return root, f"belongs to another user (uid {OTHER_UID})"


def home_of_another_user(project):
    home = folder(project / "cache")
    os.chown(home, OTHER_UID, OTHER_UID)
    return home, f"belongs to another user (uid {OTHER_UID})"


def root_linked_by_another_user(project):
    """A link planted where the cache goes, leading to a folder of the user's own: who made the link decides."""
    target = folder(project / "cache" / "mine")
    root = project / "cache" / "speech"
    root.symlink_to(target)
    os.lchown(root, OTHER_UID, OTHER_UID)
    return root, f"is a link made by another user (uid {OTHER_UID})"


@pytest.mark.parametrize("unsafe", [
    home_group_writable, root_world_writable, shard_group_writable,
    pytest.param(root_of_another_user, marks=as_root), pytest.param(home_of_another_user, marks=as_root),
    pytest.param(root_linked_by_another_user, marks=as_root),
])
def test_a_cache_folder_someone_else_can_change_is_refused_in_one_line(project, unsafe):
    where, needle = unsafe(project)
    before = snapshot(project)
    line = refused(run(*GUIDE[1:], cwd=project, timeout=TIMEOUT), f"{where}:", needle, "LEAFLET_CACHE")
    assert snapshot(project) == before and not (project / "out").exists(), line  # no key, no folder, no OUT


def test_a_cache_in_a_folder_anyone_can_write_to_is_refused(tmp_path, monkeypatch):
    shared = folder(tmp_path / "shared", 0o1777)  # as /tmp is
    monkeypatch.setenv("LEAFLET_CACHE", str(shared / "cache"))
    refused(run(*GUIDE[1:], cwd=tmp_path, timeout=TIMEOUT), f"{shared}:", "mode 1777", "key, steps/ and templates/")
    assert sorted(os.listdir(shared)) == [] and not (tmp_path / "out").exists()


def test_a_cache_reached_through_a_link_of_the_users_own_is_used(warm):
    (warm / "cache" / "speech").rename(warm / "cache" / "kept")
    (warm / "cache" / "speech").symlink_to(warm / "cache" / "kept")
    result = guide(warm)
    assert "steps: 0 encoded, 5 from the step cache" in result.stderr + result.stdout


# --- (d) a key someone else could have read or made -------------------------------------------------------------

def key_readable(key: Path):
    key.write_bytes(os.urandom(KEY_BYTES))
    key.chmod(0o644)
    return "has mode 0644, not 0600"


def key_short(key: Path):
    key.write_bytes(os.urandom(16))
    key.chmod(0o600)
    return "is 16 bytes long, not 32"


def key_empty(key: Path):
    key.write_bytes(b"")
    key.chmod(0o600)
    return "is 0 bytes long, not 32"


def key_linked(key: Path):
    elsewhere = key.parent.parent / "elsewhere"
    elsewhere.write_bytes(os.urandom(KEY_BYTES))
    elsewhere.chmod(0o600)
    key.symlink_to(elsewhere)
    return "is not a regular file"


def key_pipe(key: Path):
    os.mkfifo(key, 0o600)
    return "is not a regular file"


def key_of_another_user(key: Path):
    key.write_bytes(os.urandom(KEY_BYTES))
    key.chmod(0o600)
    os.chown(key, OTHER_UID, OTHER_UID)
    return f"belongs to another user (uid {OTHER_UID})"


@pytest.mark.parametrize("bad", [key_readable, key_short, key_empty, key_linked, key_pipe,
                                 pytest.param(key_of_another_user, marks=as_root)])
def test_a_key_someone_else_could_have_read_or_made_is_refused(project, bad):
    key = folder(project / "cache") / "key"
    needle = bad(key)
    before = snapshot(project)
    refused(run(*GUIDE[1:], cwd=project, timeout=TIMEOUT), f"{key}:", f"the cache key {needle}", "delete it")
    assert snapshot(project) == before and not (project / "out").exists()


# --- (e) a pipe, a device or an oversized file where an entry is kept -------------------------------------------

def test_a_pipe_at_a_step_entry_is_made_again_without_waiting(warm, clean):
    entry = entries(warm)[0]
    entry.unlink()
    os.mkfifo(entry)
    result = guide(warm)
    assert "steps: 1 encoded, 4 from the step cache" in result.stderr + result.stdout
    assert stat.S_ISREG(os.lstat(entry).st_mode)  # the pipe replaced by the step
    assert step_lengths(warm).keys() == clean[1].keys()


def pipe(path: Path) -> None:
    os.mkfifo(path)


def device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def oversized(path: Path) -> None:
    with path.open("wb") as file:
        file.truncate(2 * 2**20)


@pytest.mark.parametrize("plant", [pipe, device, oversized])
def test_a_template_copy_that_is_a_pipe_a_device_or_too_large_is_made_again(project, plant):
    from leaflet.make import _kept_template

    copy = template_copy(project)
    plant(copy)
    started = time.monotonic()
    result = run("build", SEED, "--format", "pdf", "-l", "es", "--translations", ROOT / "translations", "-o", "out",
                 cwd=project, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < TIMEOUT and (project / "out" / SEED.stem / "es" / f"{SEED.stem}.pdf").exists()
    assert stat.S_ISREG(os.lstat(copy).st_mode) and _kept_template(copy, the_seal(project)) is not None


# --- (f) what the first build makes ------------------------------------------------------------------------------

def test_the_key_is_made_at_0600_and_the_cache_folders_at_0700(clean):
    cache = clean[0] / "cache"
    key = os.lstat(cache / "key")
    assert stat.S_ISREG(key.st_mode) and stat.S_IMODE(key.st_mode) == 0o600 and key.st_size == KEY_BYTES
    assert key.st_uid == os.geteuid()
    folders = [cache, *(path for path in cache.rglob("*") if path.is_dir())]
    assert len(folders) >= 5 and {path.relative_to(cache).as_posix() for path in folders} >= {".", "speech", "steps",
                                                                                                 "templates"}
    for path in folders:  # made under umask 0002, which would have left them group-writable
        assert stat.S_IMODE(os.lstat(path).st_mode) == 0o700, path


@pytest.mark.parametrize("cache, out", [("out/speech", "out"), ("speech", "."), ("c/speech", "c/speech/site"),
                                        ("c/speech", "c/steps/site")])
def test_the_cache_and_the_published_folder_are_kept_apart(tmp_path, cache, out):
    """OUT is published: a cache in it published its secret key with the leaflets; OUT in a cache folder mixes
    leaflets with entries."""
    project = tmp_path / "project"
    project.mkdir(mode=0o700)
    shutil.copy(SHORT, project / "short-visit.txt")
    before = snapshot(project)
    result = subprocess.run([str(LEAFLET), "build", "short-visit.txt", "--format", "pdf", "-o", out], cwd=project,
                            env={**os.environ, "LEAFLET_CACHE": str(project / cache)}, capture_output=True,
                            text=True, timeout=60)
    refused(result, "the cache", "inside one another")
    assert snapshot(project) == before


def test_a_relative_cache_path_is_refused_before_anything_is_made_in_the_working_folder(tmp_path):
    """LEAFLET_CACHE=c put the cache's key, steps/ and templates/ in whatever folder leaflet ran in."""
    shutil.copy(SHORT, tmp_path / "short-visit.txt")
    before = snapshot(tmp_path)
    result = subprocess.run([str(LEAFLET), "build", "short-visit.txt", "--format", "pdf", "-o", "out"],
                            cwd=tmp_path, env={**os.environ, "LEAFLET_CACHE": "c"}, capture_output=True, text=True,
                            timeout=60)
    refused(result, "LEAFLET_CACHE must be an absolute path")
    assert snapshot(tmp_path) == before
