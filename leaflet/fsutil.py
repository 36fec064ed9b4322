"""Writing files so that a reader never sees half of one: a temporary file beside it, then a rename; and ending
a process at once, but never in the middle of such a write.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import LeafletError


_writing = 0  # atomic writes under way in this process
_ending: list[int] = []  # the exit status a signal asked for while one was under way


def atomic_write(path: str | Path, data: bytes | tuple[bytes, ...], *, durable: bool = True) -> None:
    """`data`: the file's bytes, or its pieces in order (written one after another, never joined in memory).
    `durable=False` skips the fsync, for a cache: after a crash its entry may be empty, never half of another's,
    and an entry that does not read back is made again."""
    global _writing
    _writing += 1
    try:
        _write(Path(path), data, durable)
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


def _write(path: Path, data: bytes | tuple[bytes, ...], durable: bool) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _naming(error, path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            for piece in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                out.write(piece)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as error:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise _naming(error, path) from None
        raise


def _naming(error: OSError, path: Path) -> OSError:
    """The same error (its subclass kept: OSError picks it from errno) naming the file the user asked for where it
    named the temporary one, or none at all as a failed write() does; a folder on the way keeps its own name."""
    if error.errno is None or (error.filename and Path(error.filename).parent != path.parent):
        return error
    return OSError(error.errno, error.strerror or str(error), str(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_if_changed(path: str | Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly these bytes; say whether it wrote."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
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
