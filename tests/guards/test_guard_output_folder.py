"""The output folder's guards, in-process: a symbolic link planted at any level under OUT is refused and never
written through, a path that climbs out of OUT is refused, the cache and OUT are kept apart, a manifest is
recognised as leaflet's only by how every manifest leaflet wrote begins, and a manifest entry naming a path
outside OUT is never trusted."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import pathlib
from pathlib import Path

import pytest

from leaflet.build import _apart
from leaflet.errors import CacheError, UnsafeOutput
from leaflet.fsutil import atomic_write, open_folder
from leaflet.manifest import Manifest, Written, begun_as_leaflets

LINK_MESSAGE = "is a symbolic link inside the output folder, which leaflet does not write through"
LINK_HINT = "remove it: leaflet makes its own folders and files there"


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def out(tmp_path):
    """OUT, and beside it a folder outside OUT that a planted link points to."""
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    return tmp_path / "out"


@pytest.mark.parametrize("level", [1, 2, 3])
def test_a_link_planted_at_any_level_under_out_is_refused_and_nothing_is_written_through_it(out, level):
    folders = ["hip", "fr", "audio"]
    real = out.joinpath(*folders[:level - 1])
    real.mkdir(parents=True, exist_ok=True)
    planted = real / folders[level - 1]
    planted.symlink_to(out.parent / "elsewhere")
    target = out.joinpath(*folders, "guide.mp3")
    before = open_descriptors()
    with pytest.raises(UnsafeOutput) as caught:
        atomic_write(target, b"ID3", inside=out)
    assert (caught.value.message, caught.value.where, caught.value.hint) == (LINK_MESSAGE, str(planted), LINK_HINT)
    assert os.listdir(out.parent / "elsewhere") == []
    assert planted.is_symlink()
    assert open_descriptors() == before


def test_a_link_to_a_file_planted_as_a_folder_is_refused_as_a_link(out):
    (out.parent / "elsewhere" / "file").write_bytes(b"")
    (out / "hip").symlink_to(out.parent / "elsewhere" / "file")
    with pytest.raises(UnsafeOutput) as caught:
        atomic_write(out / "hip" / "hip.pdf", b"x", inside=out)
    assert caught.value.where == str(out / "hip")


def test_a_dangling_link_planted_as_a_folder_is_refused_and_nothing_is_made_where_it_points(out):
    (out / "hip").symlink_to(out.parent / "elsewhere" / "new")
    with pytest.raises(UnsafeOutput) as caught:
        atomic_write(out / "hip" / "fr" / "hip.pdf", b"x", inside=out)
    assert caught.value.where == str(out / "hip")
    assert os.listdir(out.parent / "elsewhere") == []


def test_a_file_where_a_folder_goes_is_an_error_naming_it_not_a_link(out):
    (out / "hip").write_bytes(b"a file")
    before = open_descriptors()
    with pytest.raises(OSError) as caught:
        atomic_write(out / "hip" / "fr" / "hip.pdf", b"x", inside=out)
    assert not isinstance(caught.value, UnsafeOutput)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.ENOTDIR, "Not a directory", str(out / "hip"))
    assert (out / "hip").read_bytes() == b"a file"
    assert open_descriptors() == before


def test_folders_under_out_are_made_one_by_one_and_existing_ones_are_used(out):
    (out / "hip").mkdir()
    (out / "hip" / "keep.txt").write_bytes(b"kept")
    atomic_write(out / "hip" / "fr" / "audio" / "guide.mp3", b"ID3", inside=out)
    assert (out / "hip" / "fr" / "audio" / "guide.mp3").read_bytes() == b"ID3"
    assert (out / "hip" / "keep.txt").read_bytes() == b"kept"
    atomic_write(out / "hip" / "fr" / "audio" / "guide.mp3", b"ID3v2", inside=out)
    assert (out / "hip" / "fr" / "audio" / "guide.mp3").read_bytes() == b"ID3v2"
    atomic_write(out / "top.json", b"{}", inside=out)
    assert (out / "top.json").read_bytes() == b"{}"


def test_out_itself_may_be_a_link_the_user_named(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "named").symlink_to(tmp_path / "real")
    atomic_write(tmp_path / "named" / "hip" / "hip.pdf", b"x", inside=tmp_path / "named")
    assert (tmp_path / "real" / "hip" / "hip.pdf").read_bytes() == b"x"


def test_out_and_the_folders_above_it_are_made_when_missing(tmp_path):
    out = tmp_path / "a" / "b" / "out"
    atomic_write(out / "hip" / "hip.pdf", b"x", inside=out)
    assert (out / "hip" / "hip.pdf").read_bytes() == b"x"
    atomic_write(tmp_path / "c" / "d" / "plain.txt", b"y")
    assert (tmp_path / "c" / "d" / "plain.txt").read_bytes() == b"y"


def test_an_out_that_cannot_be_made_is_an_error_naming_it(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    out = tmp_path / "file" / "out"
    with pytest.raises(OSError) as caught:
        atomic_write(out / "hip.pdf", b"x", inside=out)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.ENOTDIR, "Not a directory", str(out))
    with pytest.raises(OSError) as caught:
        atomic_write(tmp_path / "file" / "hip.pdf", b"x")
    assert caught.value.filename == str(tmp_path / "file")


def test_an_out_inside_a_dangling_link_is_an_error_naming_the_link(tmp_path):
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    out = tmp_path / "gone" / "out"
    with pytest.raises(OSError) as caught:
        atomic_write(out / "hip.pdf", b"x", inside=out)
    assert (caught.value.errno, caught.value.filename) == (errno.EEXIST, str(tmp_path / "gone"))
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_replaced_by_a_file_once_made_is_refused_not_opened(tmp_path, monkeypatch):
    """Another process puts a file where OUT was just made: it is never opened as the folder."""
    out = tmp_path / "out"
    real = pathlib.Path.mkdir

    def made_then_replaced(self, *args, **kwargs):
        real(self, *args, **kwargs)
        if self == out:
            self.rmdir()
            self.write_bytes(b"")

    monkeypatch.setattr(pathlib.Path, "mkdir", made_then_replaced)
    with pytest.raises(OSError) as caught:
        atomic_write(out / "hip.pdf", b"x", inside=out)
    assert (caught.value.errno, caught.value.filename) == (errno.ENOTDIR, str(out))
    assert out.read_bytes() == b""


def test_a_folder_that_cannot_be_made_under_out_is_an_error_naming_it_not_a_link(out, monkeypatch):
    """The disk is full when a folder is made: said as it is, not called a symbolic link."""
    def full(name, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "mkdir", full)
    with pytest.raises(OSError) as caught:
        atomic_write(out / "hip" / "hip.pdf", b"x", inside=out)
    assert not isinstance(caught.value, UnsafeOutput)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.ENOSPC, "No space left on device", str(out / "hip"))


def test_the_folder_handed_out_is_not_inherited_by_a_child_process(out):
    (out / "hip").mkdir()
    for folder, inside in ((out, None), (out, out), (out / "hip", out), (out / "hip", None)):
        with open_folder(folder, inside) as fd:
            assert fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC


@pytest.mark.parametrize("where", ["../elsewhere/hip.pdf", "hip/../../elsewhere/hip.pdf", "/tmp/elsewhere/hip.pdf"])
def test_a_path_that_climbs_out_of_out_is_refused_and_nothing_is_written(out, where):
    target = out / where if not where.startswith("/") else Path(where)
    with pytest.raises(UnsafeOutput) as caught:
        atomic_write(target, b"x", inside=out)
    assert (caught.value.message, caught.value.where) == (f"is outside the output folder {out}",
                                                                str(target.parent))
    assert os.listdir(out.parent / "elsewhere") == [] and os.listdir(out) == []


def test_open_folder_hands_out_the_folder_and_closes_it(out):
    (out / "hip" / "fr").mkdir(parents=True)
    (out / "hip" / "fr" / "here").write_bytes(b"")
    before = open_descriptors()
    with open_folder(out / "hip" / "fr", out) as fd:
        assert os.listdir(fd) == ["here"]
        assert open_descriptors() == before + 1
    assert open_descriptors() == before
    with open_folder(out / "hip") as fd:
        assert os.listdir(fd) == ["fr"]
    with open_folder(out, out) as fd:
        assert os.listdir(fd) == ["hip"]
    assert open_descriptors() == before
    with pytest.raises(KeyError), open_folder(out / "hip", out):
        raise KeyError("a failure inside")
    assert open_descriptors() == before


# --- the cache and OUT kept apart ------------------------------------------------------------------------------------

APART = ("the cache ({cache}) and the output folder ({out}) are inside one another: the cache's secret key would be"
         " published with the leaflets")
APART_HINT = "set LEAFLET_CACHE to a folder of its own, or build into another folder with -o"


def test_a_relative_cache_is_refused():
    with pytest.raises(CacheError) as caught:
        _apart(Path("cache/speech"), Path("/srv/out"))
    assert caught.value.message == ("LEAFLET_CACHE must be an absolute path, not 'cache/speech': the cache's key,"
                                    " steps and templates are kept beside it, which would be whatever folder"
                                    " leaflet runs in")


@pytest.mark.parametrize("cache, out", [
    ("home/speech", "home"),  # OUT is the cache's home: the key beside the entries is published
    ("home/speech", "home/speech"),
    ("home/speech", "home/speech/out"),  # OUT inside the entries
    ("home/speech", "home/steps"),
    ("home/speech", "home/steps/out"),
    ("home/speech", "home/templates"),
    ("home/speech", "home/templates/x"),
    ("out/home/speech", "out"),  # the cache inside OUT
    ("out/speech", "out"),
])
def test_the_cache_and_out_inside_one_another_are_refused(tmp_path, cache, out):
    with pytest.raises(CacheError) as caught:
        _apart(tmp_path / cache, tmp_path / out)
    assert caught.value.message == APART.format(cache=(tmp_path / cache).parent, out=tmp_path / out)
    assert caught.value.hint == APART_HINT


@pytest.mark.parametrize("cache, out", [
    ("home/speech", "out"), ("home/speech", "home/out"), ("home/speech", "home/speeches"), ("home/speech", "hom"),
    ("home/speech", "home/key-out"), ("cache/home/speech", "cache/out"),
])
def test_a_cache_beside_out_is_accepted(tmp_path, cache, out):
    assert _apart(tmp_path / cache, tmp_path / out) is None


def test_a_link_does_not_hide_the_cache_inside_out(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "out")
    with pytest.raises(CacheError):
        _apart(tmp_path / "alias" / "home" / "speech", tmp_path / "out")
    (tmp_path / "home").mkdir()
    (tmp_path / "published").symlink_to(tmp_path / "home")
    with pytest.raises(CacheError):
        _apart(tmp_path / "home" / "speech", tmp_path / "published")
    (tmp_path / "entries").mkdir()
    (tmp_path / "home" / "speech").symlink_to(tmp_path / "entries")
    with pytest.raises(CacheError):
        _apart(tmp_path / "home" / "speech", tmp_path / "entries")


# --- a manifest is leaflet's by how it begins ------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b'{"manifest": 1', b'{"generator":"leaflet"', b' \n\t{ \n "manifest" :',
                                  b'{"manifest"\n:', b'\r\n{\r\n"generator"\t: {'])
def test_what_every_manifest_leaflet_wrote_begins_with_is_recognised(data):
    assert begun_as_leaflets(data) is True


@pytest.mark.parametrize("data", [b"", b"   ", b'{"name": "app", "manifest": 1}', b'\xef\xbb\xbf{"manifest": 1',
                                  b'// leaflet\n{"manifest": 1', b'{"Manifest": 1', b'{"manifests": 1',
                                  b'{manifest: 1', b"{'manifest': 1", b'["manifest"]', b'"manifest":',
                                  b'{"generator" = 1', b'\xff\xfe{\x00"\x00m\x00', b'x{"manifest":'])
def test_anything_else_is_another_programs(data):
    assert begun_as_leaflets(data) is False


# --- a manifest entry naming a path outside OUT -------------------------------------------------------------------

def entry(locale: str, info: os.stat_result) -> dict:
    """An entry as leaflet writes one, recording a file as `info` says it is on disk."""
    return {"domain": "hip", "locale": locale, "format": "pdf", "inputs": "digest", "depends": {"source": "d"},
            "sha256": "0" * 64, "bytes": info.st_size, "mtime_ns": info.st_mtime_ns}


@pytest.mark.parametrize("where", ["../elsewhere/hip.pdf", "hip/../../elsewhere/hip.pdf",
                                   "hip/./../../elsewhere/hip.pdf", "ABSOLUTE", "hip/../hip/en/hip.pdf"])
def test_a_manifest_entry_naming_a_path_outside_out_is_dropped_and_what_it_names_is_left_alone(out, where):
    """A manifest edited or copied from elsewhere names a file outside OUT (or climbs out and back in), recorded
    exactly as that file is on disk: it must not make the output count as up to date (the leaflet would not be
    made, and a stranger's file stand for it), must not be written into the manifest again, and the file it names
    is neither changed nor removed. The entry is dropped with one warning, the rest of the manifest is kept."""
    (out / "hip" / "en").mkdir(parents=True)
    (out / "hip" / "fr").mkdir()
    outside = out.parent / "elsewhere" / "hip.pdf"
    outside.write_bytes(b"%PDF-1.7 a leaflet that is not leaflet's")
    (out / "hip" / "en" / "hip.pdf").write_bytes(b"%PDF-1.7 an older English leaflet")
    (out / "hip" / "fr" / "hip.pdf").write_bytes(b"%PDF-1.7 the French leaflet")
    named = str(outside) if where == "ABSOLUTE" else where
    recorded = os.stat(out / named)  # what the entry names, as it is on disk: the entry "matches" it
    french = os.stat(out / "hip" / "fr" / "hip.pdf")
    before = outside.read_bytes(), os.stat(outside).st_mtime_ns
    (out / "manifest.json").write_text(json.dumps({"manifest": 1, "generator": "leaflet", "outputs": {
        named: entry("en", recorded), "hip/fr/hip.pdf": entry("fr", french)}}), "utf-8")

    manifest = Manifest(out)
    assert manifest.warning == (f"{out / 'manifest.json'}: 1 of its 2 entries are damaged: their outputs are made"
                                " again")
    assert manifest.up_to_date("hip", "en", "pdf", "digest") is False  # made again, into OUT
    assert manifest.up_to_date("hip", "fr", "pdf", "digest") is True  # the sound entry is kept
    made = os.stat(out / "hip" / "en" / "hip.pdf")
    manifest.record("hip", "en", "pdf", "digest", {"source": "d"},
                    [Written("hip/en/hip.pdf", "1" * 64, made.st_size, made.st_mtime_ns)])
    manifest.save()
    saved = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    assert sorted(saved) == ["hip/en/hip.pdf", "hip/fr/hip.pdf"]
    assert Manifest(out).warning is None
    assert (outside.read_bytes(), os.stat(outside).st_mtime_ns) == before
    assert os.listdir(out.parent / "elsewhere") == ["hip.pdf"]


@pytest.mark.parametrize("where", ["/etc/passwd", "..", "../x", "a/../b", "./..", "", ".", "/",
                                   "hip/en/hip.pdf\x00", "\x00"])
def test_a_manifest_entry_whose_path_is_no_file_under_out_is_dropped(out, where):
    """Absolute, climbing, empty, or with a NUL (the file system refuses to be asked about it: an entry that
    reached os.lstat ended the build with an internal error)."""
    info = os.stat(out)
    (out / "manifest.json").write_text(json.dumps({"manifest": 1, "generator": "leaflet", "outputs": {
        where: entry("en", info)}}), "utf-8")
    manifest = Manifest(out)
    assert manifest.warning == (f"{out / 'manifest.json'}: 1 of its 1 entries are damaged: their outputs are made"
                                " again")
    assert manifest.groups == {}
    assert manifest.up_to_date("hip", "en", "pdf", "digest") is False


@pytest.mark.parametrize("damage", [
    {"depends": None}, {"depends": ["source"]}, {"depends": "d"},  # no table of what it was made from
    {"sha256": 0}, {"domain": None}, {"locale": ["en"]}, {"format": 5}, {"inputs": 1},
    {"bytes": True}, {"bytes": "27"}, {"mtime_ns": 1.5}, {"mtime_ns": None},  # a bool is an int to isinstance
])
def test_a_manifest_entry_with_a_field_of_the_wrong_type_is_dropped(out, damage):
    """Each field of an entry has the type leaflet writes, or the entry is damaged: one field is enough to drop
    it (a wrong field would else reach a comparison or a stat as if sound). The entry beside it is kept."""
    (out / "hip" / "en").mkdir(parents=True)
    (out / "hip" / "fr").mkdir()
    for locale in ("en", "fr"):
        (out / "hip" / locale / "hip.pdf").write_bytes(b"%PDF-1.7 " + locale.encode())
    english, french = (os.stat(out / "hip" / locale / "hip.pdf") for locale in ("en", "fr"))
    (out / "manifest.json").write_text(json.dumps({"manifest": 1, "generator": "leaflet", "outputs": {
        "hip/en/hip.pdf": {**entry("en", english), **damage}, "hip/fr/hip.pdf": entry("fr", french)}}), "utf-8")
    manifest = Manifest(out)
    assert manifest.warning == (f"{out / 'manifest.json'}: 1 of its 2 entries are damaged: their outputs are made"
                                " again")
    assert manifest.up_to_date("hip", "en", "pdf", "digest") is False
    assert manifest.up_to_date("hip", "fr", "pdf", "digest") is True


@pytest.mark.parametrize("damaged", [["hip", "en"], "hip/en/hip.pdf", 7, None])
def test_a_manifest_entry_that_is_no_table_is_dropped(out, damaged):
    (out / "manifest.json").write_text(json.dumps({"manifest": 1, "generator": "leaflet", "outputs": {
        "hip/en/hip.pdf": damaged}}), "utf-8")
    manifest = Manifest(out)
    assert manifest.warning == (f"{out / 'manifest.json'}: 1 of its 1 entries are damaged: their outputs are made"
                                " again")
    assert manifest.groups == {}
