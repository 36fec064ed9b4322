"""Writing files so that a reader never sees half of one: a temporary file beside it, then a rename; inside OUT,
never through a symbolic link planted there; reading a file back no larger than expected; and ending a process
at once, but never in the middle of such a write.
"""

from __future__ import annotations

import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import LeafletError, UnsafeOutput


_writing = 0  # atomic writes under way in this process
_ending: list[int] = []  # the exit status a signal asked for while one was under way


def atomic_write(path: str | Path, data: bytes | tuple[bytes, ...], *, durable: bool = True,
                 inside: Path | None = None) -> os.stat_result:
    """Write the file whole or not at all, and say what it is on disk (size, modification time). `data`: the
    file's bytes, or its pieces in order (written one after another, never joined in memory). `inside` (OUT)
    is the folder the file must stay in: the folders between are made and opened without following a link
    (see `open_folder`). `durable=False` skips the fsyncs, for a cache: after a crash its entry may be empty,
    never half of another's, and an entry that does not read back is made again."""
    global _writing
    _writing += 1
    try:
        path = Path(path)
        with open_folder(path.parent, inside) as where:
            return _write(where, path, data, durable)
    finally:
        _writing -= 1
        if _ending and not _writing:
            os._exit(_ending[0])


def end_process(status: int) -> None:
    """End this process now, from a signal handler, or as soon as the file it is writing is whole. Never by raising:
    an exception raised in a signal handler can land inside a C library's call back into Python (espeak-ng's
    audio, libsndfile's reads and writes), where it is swallowed and the library goes on with part of its data."""
    if _writing:
        _ending.append(status)
    else:
        os._exit(status)


@contextmanager
def open_folder(path: Path, inside: Path | None = None) -> Iterator[int]:
    """A descriptor on the folder `path`, made (with the folders on the way) if missing, for the calls that take
    `dir_fd`. Under `inside` (OUT: the user named it, so a link there is followed once) each folder below it is
    made and opened one at a time without following a symbolic link: a link planted at any level cannot send a
    write or a deletion outside OUT, and is refused (`UnsafeOutput`) naming it."""
    fd = _opened(path, inside)
    try:
        yield fd
    finally:
        os.close(fd)


def _opened(path: Path, inside: Path | None) -> int:
    """The descriptor `open_folder` hands out (the caller closes it); none is left open when it fails."""
    top, below = (path, ()) if inside is None else (inside, _below(path, inside))
    try:
        top.mkdir(parents=True, exist_ok=True)
        fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise OSError(error.errno, error.strerror, error.filename or str(top)) from None
    try:
        for depth, name in enumerate(below, 1):
            inner = _step(fd, name, top.joinpath(*below[:depth]))
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _below(path: Path, inside: Path) -> tuple[str, ...]:
    try:
        parts = path.relative_to(inside).parts
    except ValueError:
        parts = ("..",)
    if ".." in parts:  # leaflet names its folders itself; a name that climbs out is a bug, never followed
        raise UnsafeOutput(f"is outside the output folder {inside}", where=str(path))
    return parts


def _step(parent: int, name: str, shown: Path) -> int:
    """The folder `name` in `parent`, made if missing, opened only if it is a real folder."""
    try:
        try:
            os.mkdir(name, dir_fd=parent)
        except FileExistsError:
            pass
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
    except OSError as error:
        try:
            link = stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
        except OSError:
            link = False
        if link:  # O_NOFOLLOW with O_DIRECTORY answers ENOTDIR for a link, as for a file
            raise planted(shown) from None
        raise OSError(error.errno, error.strerror, str(shown)) from None


def planted(path: Path) -> UnsafeOutput:
    """The refusal of a symbolic link found where leaflet writes inside OUT."""
    return UnsafeOutput("is a symbolic link inside the output folder, which leaflet does not write through",
                        where=str(path), hint="remove it: leaflet makes its own folders and files there")


def _write(folder: int, path: Path, data: bytes | tuple[bytes, ...], durable: bool) -> os.stat_result:
    """A temporary file beside the target, in the folder already opened, then a rename within that folder: the
    new file is created (never opened through a link) and the rename replaces whatever has the name, a link
    included, not what a link points to. Durable: the file is synced before the rename, the folder after it."""
    tmp, fd = _temporary(folder, path)
    try:
        with os.fdopen(fd, "wb") as out:
            for piece in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                out.write(piece)
            out.flush()
            if durable:
                os.fsync(out.fileno())
            info = os.fstat(out.fileno())
        os.replace(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        if durable:  # the rename is the folder's to keep: without this a power loss may undo it
            os.fsync(folder)
    except BaseException as error:
        try:
            os.unlink(tmp, dir_fd=folder)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise _naming(error, path) from None
        raise
    return info


def _temporary(folder: int, path: Path) -> tuple[str, int]:
    """A new file named after the target (mode 0666 less the umask, as any file leaflet writes)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        tmp = f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return tmp, os.open(tmp, flags, 0o666, dir_fd=folder)
        except FileExistsError:
            continue
        except OSError as error:
            raise _naming(error, path) from None


def _naming(error: OSError, path: Path) -> OSError:
    """The same error (its subclass kept: OSError picks it from errno) naming the file the user asked for where it
    named the temporary one, or none at all as a failed write() does."""
    if error.errno is None:
        return error
    return OSError(error.errno, error.strerror or str(error), str(path))


def write_if_changed(path: str | Path, data: bytes, error: type[LeafletError] = LeafletError) -> bool:
    """Write atomically unless the file already holds exactly these bytes; say whether it wrote. What stands
    there is compared only if it is a regular file of the same size: a pipe would wait for a writer for ever,
    and is refused (an `error` naming it) rather than replaced."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror}", where=str(path)) from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise error("is not a regular file (a pipe, a socket, a device or a folder), where leaflet writes one",
                        where=str(path), hint="move it away")
        if info.st_size == len(data) and read_limited(path, len(data), "file", error) == data:
            return False
    atomic_write(path, data)
    return True


def _size(limit: int) -> str:
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if limit >= size:
            return f"{limit / size:g} {unit}"
    return f"{limit} bytes"


def read_limited(path: str | Path, limit: int, what: str, error: type[LeafletError] = LeafletError,
                 *, follow: bool = True) -> bytes:
    """A file's bytes, refused in one line (an `error` naming the file) unless it is a regular file of at most
    `limit` bytes. A pipe is opened without waiting for a writer and a device (/dev/zero) is never read: both
    are refused, as is a file that grew past the limit while it was read. `follow=False` refuses a symbolic
    link in the last part of the path (a file under OUT or in the cache is never read through one)."""
    where = str(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"no such {what}", where=where) from None
    except OSError as exc:
        if not follow and os.path.islink(path):
            raise error(f"the {what} is a symbolic link, which leaflet does not read through", where=where,
                        hint="put the file itself in its place") from None
        raise error(f"the {what} cannot be read: {exc.strerror}", where=where) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise error(f"the {what} is a folder, not a file", where=where)
        raise error(f"the {what} is not a regular file (a pipe, a socket or a device)", where=where)
    with os.fdopen(fd, "rb") as file:
        os.set_blocking(fd, True)
        try:
            data = file.read(limit + 1)
        except OSError as exc:
            raise error(f"the {what} cannot be read: {exc.strerror}", where=where) from None
    if len(data) > limit:
        raise error(f"the {what} is over {_size(limit)}, the most leaflet reads for one", where=where)
    return data
