"""Writing files so that a reader never sees half of one: a temporary file beside it, then a rename; and ending
a process at once, but never in the middle of such a write.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


_writing = 0  # atomic writes under way in this process
_ending: list[int] = []  # the exit status a signal asked for while one was under way


def atomic_write(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """`durable=False` skips the fsync, for a cache: after a crash its entry may be empty, never half of
    another's, and an entry that does not read back is made again."""
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


def _write(path: Path, data: bytes, durable: bool) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise _naming(error, path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
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
