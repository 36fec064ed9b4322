"""The atomic write, in-process: a file is written whole or not at all (a rewrite that fails leaves the old file
whole and unchanged, and no temporary file), with the mode the umask gives any file, and a process asked to end
during a write ends only once the file is whole. `write_if_changed` leaves a file holding the same bytes alone."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import resource
import signal
import stat
from pathlib import Path

import pytest

from leaflet import fsutil
from leaflet.errors import LeafletError, SourceError
from leaflet.fsutil import atomic_write, end_process, read_limited, write_if_changed

OLD = b"%PDF-1.7 the leaflet a clinic printed yesterday\n" * 40


@pytest.fixture
def umask():
    """Set a umask for the test, as a clinic's shell or service has one."""
    previous = os.umask(0o022)

    def set_to(value: int) -> None:
        os.umask(value)

    yield set_to
    os.umask(previous)


@pytest.fixture
def exits(monkeypatch):
    """os._exit recorded instead of ending the test run; no signal left pending from another test."""
    called: list[int] = []
    monkeypatch.setattr(os, "_exit", called.append)
    monkeypatch.setattr(fsutil, "_ending", [])
    return called


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_a_new_file_is_written_whole_and_its_size_and_time_are_what_is_on_disk(tmp_path):
    target = tmp_path / "hip" / "fr" / "hip.pdf"
    info = atomic_write(str(target), OLD)
    assert target.read_bytes() == OLD
    on_disk = os.stat(target)
    assert (info.st_size, info.st_mtime_ns, info.st_ino) == (len(OLD), on_disk.st_mtime_ns, on_disk.st_ino)
    assert stat.S_ISREG(info.st_mode)
    assert listing(target.parent) == ["hip.pdf"]


def test_pieces_are_written_in_order_and_nothing_else(tmp_path):
    target = tmp_path / "guide.mp3"
    target.write_bytes(b"an older and much longer guide" * 100)
    info = atomic_write(target, (b"ID3", b"", bytearray(b"frame-1"), memoryview(b"frame-2")))
    assert target.read_bytes() == b"ID3frame-1frame-2"
    assert info.st_size == 17
    atomic_write(target, memoryview(b"whole"))
    assert target.read_bytes() == b"whole"
    atomic_write(target, b"")
    assert target.read_bytes() == b""
    assert listing(tmp_path) == ["guide.mp3"]


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o000, 0o666)])
def test_a_file_has_the_mode_the_umask_gives_any_file_not_a_private_temporary_ones(tmp_path, umask, mask, mode):
    """A clinic's web server reads OUT as another user: a leaflet left at 0600 would not be served."""
    umask(mask)
    target = tmp_path / "hip.pdf"
    atomic_write(target, b"new")
    assert stat.S_IMODE(os.stat(target).st_mode) == mode
    target.chmod(0o640)  # a rewrite makes a new file: the umask's mode again, not the old file's
    atomic_write(target, b"newer")
    assert stat.S_IMODE(os.stat(target).st_mode) == mode


def test_the_temporary_file_is_hidden_beside_the_target_and_gone_after(tmp_path):
    target = tmp_path / "hip.pdf"
    target.write_bytes(OLD)
    seen: list[list[str]] = []

    def pieces():
        yield b"first half, "
        seen.append(listing(tmp_path))
        assert target.read_bytes() == OLD  # the old file is whole while the new one is written
        yield b"second half"

    atomic_write(target, pieces())
    assert len(seen[0]) == 2 and seen[0][1] == "hip.pdf"
    assert re.fullmatch(r"\.hip\.pdf\.[0-9a-f]{8}\.tmp", seen[0][0])
    assert target.read_bytes() == b"first half, second half"
    assert listing(tmp_path) == ["hip.pdf"]


class Midway(Exception):
    pass


def test_a_rewrite_that_fails_midway_leaves_the_old_file_whole_and_no_temporary(tmp_path):
    target = tmp_path / "hip.pdf"
    target.write_bytes(OLD)
    before = os.stat(target)

    def pieces():
        yield b"%PDF-1.7 new"
        raise Midway("the renderer failed")

    with pytest.raises(Midway, match="the renderer failed"):
        atomic_write(target, pieces())
    assert target.read_bytes() == OLD
    after = os.stat(target)
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    assert listing(tmp_path) == ["hip.pdf"]
    assert fsutil._writing == 0


def test_a_disk_full_midway_is_an_error_naming_the_file_and_the_old_file_stays(tmp_path):
    target = tmp_path / "hip.pdf"
    target.write_bytes(OLD)

    def pieces():
        yield b"%PDF-1.7 new"
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".hip.pdf.0badf00d.tmp"))

    with pytest.raises(OSError) as caught:
        atomic_write(target, pieces())
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.ENOSPC, "No space left on device", str(target))
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["hip.pdf"]


def test_a_file_size_limit_hit_while_writing_leaves_the_old_file(tmp_path):
    """A real failing write(): the process may write no more than 4 kB per file (RLIMIT_FSIZE, as a full disk)."""
    target = tmp_path / "hip.pdf"
    target.write_bytes(OLD * 10)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        with pytest.raises(OSError) as caught:
            atomic_write(target, (b"a" * 3000, b"b" * 3000))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)
    assert isinstance(caught.value, OSError) and caught.value.errno == errno.EFBIG
    assert caught.value.filename == str(target)
    assert target.read_bytes() == OLD * 10
    assert listing(tmp_path) == ["hip.pdf"]


@pytest.fixture
def failing_rename(monkeypatch):
    """The final rename fails, as it does on a full or failing disk: os.replace and os.rename both raise (a rewrite
    that deleted the old file and then renamed would lose it here). The renames asked for are recorded."""
    asked: list[str] = []

    def fail(src, dst, *args, **kwargs):
        asked.append(dst)
        raise OSError(errno.EIO, "Input/output error", src)

    monkeypatch.setattr(os, "replace", fail)
    monkeypatch.setattr(os, "rename", fail)
    return asked


def test_a_rewrite_whose_rename_fails_leaves_the_old_file_whole_and_no_temporary(tmp_path, failing_rename):
    target = tmp_path / "hip.pdf"
    target.write_bytes(OLD)
    before = os.stat(target)
    with pytest.raises(OSError) as caught:
        atomic_write(target, b"%PDF-1.7 the new leaflet")
    assert failing_rename == ["hip.pdf"]
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.EIO, "Input/output error", str(target))
    assert target.read_bytes() == OLD
    after = os.stat(target)
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    assert listing(tmp_path) == ["hip.pdf"]
    assert fsutil._writing == 0


def test_a_new_file_whose_rename_fails_is_not_there_at_all(tmp_path, failing_rename):
    with pytest.raises(OSError) as caught:
        atomic_write(tmp_path / "hip.pdf", b"%PDF-1.7 the new leaflet", durable=False)
    assert (caught.value.errno, caught.value.filename) == (errno.EIO, str(tmp_path / "hip.pdf"))
    assert listing(tmp_path) == []


def test_a_rewrite_is_a_new_file_renamed_over_the_old_one_never_the_old_one_written_again(tmp_path):
    """A reader that opened the old leaflet (a print queue, a web server sending it) goes on reading it whole: a
    hard link stands for it here, and keeps the old bytes."""
    target = tmp_path / "hip.pdf"
    target.write_bytes(OLD)
    os.link(target, tmp_path / "printing.pdf")
    old = os.stat(target).st_ino
    info = atomic_write(target, b"%PDF-1.7 the new leaflet")
    assert target.read_bytes() == b"%PDF-1.7 the new leaflet"
    assert (tmp_path / "printing.pdf").read_bytes() == OLD
    assert os.stat(target).st_ino == info.st_ino != old
    assert os.stat(tmp_path / "printing.pdf").st_nlink == 1
    assert listing(tmp_path) == ["hip.pdf", "printing.pdf"]


def test_a_temporary_file_that_cannot_be_made_is_an_error_naming_the_target(tmp_path):
    """The target's name is allowed (250 bytes), the temporary one's is not (over 255): the old file stays."""
    target = tmp_path / ("n" * 250)
    target.write_bytes(OLD)
    with pytest.raises(OSError) as caught:
        atomic_write(target, b"new")
    assert caught.value.errno == errno.ENAMETOOLONG
    assert caught.value.filename == str(target)
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["n" * 250]


def test_a_temporary_name_already_taken_is_never_written_into(tmp_path, monkeypatch):
    names = iter(["0000aaaa", "0000bbbb"])
    monkeypatch.setattr(fsutil.secrets, "token_hex", lambda n: next(names) if n == 4 else "bad")
    stranger = tmp_path / ".hip.pdf.0000aaaa.tmp"
    stranger.write_bytes(b"another writer's")
    atomic_write(tmp_path / "hip.pdf", b"mine")
    assert (tmp_path / "hip.pdf").read_bytes() == b"mine"
    assert stranger.read_bytes() == b"another writer's"
    assert listing(tmp_path) == [".hip.pdf.0000aaaa.tmp", "hip.pdf"]


def test_a_link_where_the_file_goes_is_replaced_not_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not leaflet's")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "hip.pdf"
    target.symlink_to(outside)
    atomic_write(target, b"leaflet", inside=tmp_path / "out")
    assert not target.is_symlink() and target.read_bytes() == b"leaflet"
    assert outside.read_bytes() == b"not leaflet's"


def test_a_child_process_started_during_a_write_does_not_inherit_the_temporary_file(tmp_path):
    """An encoder started while the guide is written would keep the file open (and a lock on it) after leaflet."""
    flags: list[int] = []

    def pieces():
        yield b"ID3"
        for name in os.listdir("/proc/self/fd"):
            try:
                where = os.readlink(f"/proc/self/fd/{name}")
            except OSError:
                continue
            if where.endswith(".tmp") and os.path.basename(where).startswith(".guide.mp3."):
                flags.append(fcntl.fcntl(int(name), fcntl.F_GETFD))
        yield b"frames"

    atomic_write(tmp_path / "guide.mp3", pieces())
    assert len(flags) == 1 and flags[0] & fcntl.FD_CLOEXEC


def syncs(monkeypatch, target: Path) -> list[tuple]:
    """os.fsync spied on while `target` is written (a power loss cannot be made in a test): for each call, what
    it was handed (a file and its size, or a folder and its inode) and whether `target` had its name then."""
    calls: list[tuple] = []
    real = os.fsync

    def spy(fd):
        on = os.fstat(fd)
        what = ("folder", on.st_ino) if stat.S_ISDIR(on.st_mode) else ("file", on.st_size)
        calls.append((*what, os.path.exists(target)))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    return calls


def test_the_file_and_then_its_folder_are_made_durable_unless_asked_not_to(tmp_path, monkeypatch):
    """A power loss must find the new file whole (its bytes synced before the rename) and under its name (the
    folder synced after the rename: else the rename itself may be lost, and the old leaflet be back)."""
    folder = os.stat(tmp_path).st_ino
    calls = syncs(monkeypatch, tmp_path / "a")
    atomic_write(tmp_path / "a", b"12345")
    # the file after every piece was flushed, before it has its name; the folder once it has it
    assert calls == [("file", 5, False), ("folder", folder, True)]
    calls = syncs(monkeypatch, tmp_path / "b")
    atomic_write(tmp_path / "b", (b"12", b"345"), durable=True)
    assert calls == [("file", 5, False), ("folder", folder, True)]
    calls = syncs(monkeypatch, tmp_path / "a")
    atomic_write(tmp_path / "a", b"123456")  # a rewrite: the old file has the name all along
    assert calls == [("file", 6, True), ("folder", folder, True)]
    calls = syncs(monkeypatch, tmp_path / "c")
    atomic_write(tmp_path / "c", b"12345", durable=False)  # a cache entry: made again if it does not read back
    assert calls == []
    assert (tmp_path / "c").read_bytes() == b"12345"


def test_the_folder_synced_is_the_one_the_file_is_in_under_out(tmp_path, monkeypatch):
    out = tmp_path / "out"
    target = out / "hip" / "fr" / "hip.pdf"
    calls = syncs(monkeypatch, target)
    atomic_write(target, b"%PDF", inside=out)
    assert calls == [("file", 4, False), ("folder", os.stat(out / "hip" / "fr").st_ino, True)]


def test_a_process_asked_to_end_during_a_write_ends_once_the_file_is_whole(tmp_path, exits):
    target = tmp_path / "hip.pdf"

    def pieces():
        yield b"first, "
        end_process(3)
        assert exits == []  # not in the middle of the write
        end_process(5)
        yield b"second"

    atomic_write(target, pieces())
    assert exits == [3]
    assert target.read_bytes() == b"first, second"
    assert fsutil._writing == 0


def test_a_process_asked_to_end_during_a_failing_write_ends_after_the_cleanup(tmp_path, exits):
    target = tmp_path / "hip.pdf"
    target.write_bytes(OLD)

    def pieces():
        yield b"first, "
        end_process(2)
        raise Midway()

    with pytest.raises(Midway):
        atomic_write(target, pieces())
    assert exits == [2]
    assert listing(tmp_path) == ["hip.pdf"] and target.read_bytes() == OLD


def test_a_write_ends_the_process_only_when_asked(tmp_path, exits):
    atomic_write(tmp_path / "a", b"1")
    atomic_write(tmp_path / "a", b"2")
    assert exits == [] and fsutil._writing == 0
    end_process(4)
    assert exits == [4]


def test_a_write_inside_another_write_waits_for_the_outer_one(tmp_path, exits):
    """Two writes under way (the guide's audio piece written while its manifest entry is): the end waits for both."""
    def pieces():
        yield b"outer "
        end_process(6)
        atomic_write(tmp_path / "inner", b"inner")
        assert exits == []
        yield b"done"

    atomic_write(tmp_path / "outer", pieces())
    assert exits == [6]
    assert fsutil._writing == 0


# --- write_if_changed ----------------------------------------------------------------------------------------------

def test_the_same_bytes_are_not_written_again(tmp_path):
    target = tmp_path / "hip.po"
    assert write_if_changed(str(target), b"msgid") is True
    before = os.stat(target)
    assert write_if_changed(target, b"msgid") is False
    after = os.stat(target)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.parametrize("new", [b"msgie", b"msgi", b"msgid\n", b""])
def test_other_bytes_are_written_whatever_their_size(tmp_path, new):
    target = tmp_path / "hip.po"
    target.write_bytes(b"msgid")
    assert write_if_changed(target, new) is True
    assert target.read_bytes() == new
    assert listing(tmp_path) == ["hip.po"]


def test_a_pipe_or_a_folder_where_the_file_goes_is_refused_not_replaced(tmp_path):
    pipe = tmp_path / "hip.po"
    os.mkfifo(pipe)
    with pytest.raises(SourceError) as caught:
        write_if_changed(pipe, b"msgid", SourceError)
    assert type(caught.value) is SourceError
    assert caught.value.message == ("is not a regular file (a pipe, a socket, a device or a folder), where leaflet"
                                    " writes one")
    assert (caught.value.where, caught.value.hint) == (str(pipe), "move it away")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    (tmp_path / "folder").mkdir()
    with pytest.raises(LeafletError) as caught:
        write_if_changed(tmp_path / "folder", b"")
    assert type(caught.value) is LeafletError and caught.value.message.startswith("is not a regular file")


def test_a_place_that_cannot_be_looked_at_is_refused_naming_why(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    where = tmp_path / "file" / "hip.po"
    with pytest.raises(SourceError) as caught:
        write_if_changed(where, b"x", SourceError)
    assert type(caught.value) is SourceError
    assert (caught.value.message, caught.value.where) == ("cannot be read: Not a directory", str(where))
    with pytest.raises(LeafletError) as caught:
        write_if_changed(where, b"x")
    assert type(caught.value) is LeafletError and caught.value.message == "cannot be read: Not a directory"


def test_a_file_that_cannot_be_read_back_is_refused_naming_why(tmp_path, monkeypatch):
    """The same size, but reading it fails (a failing disk): refused as the caller's error, never written over."""
    target = tmp_path / "hip.po"
    target.write_bytes(b"msgid")
    real = os.open

    def failing(path, flags, *args, **kwargs):
        if str(path) == str(target) and not flags & os.O_WRONLY:
            raise OSError(errno.EIO, "Input/output error", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing)
    with pytest.raises(SourceError) as caught:
        write_if_changed(target, b"msgie", SourceError)
    assert type(caught.value) is SourceError
    assert (caught.value.message, caught.value.where) == ("the file cannot be read: Input/output error", str(target))
    monkeypatch.undo()
    assert target.read_bytes() == b"msgid"


# --- a file read under a limit: whole, or refused ------------------------------------------------------------------

@pytest.mark.parametrize("limit, said", [(0, "0 bytes"), (1000, "1000 bytes"), (2**20, "1 MB")])
def test_a_file_of_exactly_the_limit_is_read_whole_and_one_byte_more_is_refused_not_cut(tmp_path, limit, said):
    """Cut at the limit, a leaflet source or a catalog would lose its end (the "when to get help" section comes
    last) without a word: one byte over is refused in one line naming the file and the limit."""
    path = tmp_path / "hip.txt"
    whole = bytes(range(256)) * (limit // 256) + b"z" * (limit % 256)
    assert len(whole) == limit
    path.write_bytes(whole)
    assert read_limited(path, limit, "file", SourceError) == whole
    path.write_bytes(whole + b"!")
    with pytest.raises(SourceError) as caught:
        read_limited(path, limit, "file", SourceError)
    assert str(caught.value) == f"{path}: the file is over {said}, the most leaflet reads for one"
    assert "\n" not in str(caught.value)
