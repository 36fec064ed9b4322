"""The cache's trust: its folders are the user's alone, and every entry carries a keyed seal (HMAC-SHA256) made
with a secret kept in it, so that only the user who owns the cache can make an entry leaflet serves.

The cache is the speech entries' folder (`LEAFLET_CACHE`, by default ~/.cache/leaflet/speech) and, beside it,
`steps/`, `templates/` and `key`, the secret (32 random bytes, mode 0600, made on first use). A seal that was a
plain digest of an entry's name and contents could be made by anyone who could write to the folder: another
user of a shared cache re-sealed the steps of a guide with one step's sound, and the next build shipped that
sound five times under five titles. A seal now takes the secret, which only the owner can read; an entry whose
seal does not verify is made again, as a damaged one is. A folder of the cache that someone else owns or can
write to, or a key someone else could have read or made, is refused before anything is built, saying how to
fix it.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path

from .errors import CacheError
from .fsutil import atomic_write, read_limited

STEPS, TEMPLATES, KEY = "steps", "templates", "key"  # beside the speech entries' folder
KEY_BYTES = 32
_SHARD = re.compile(r"[0-9a-f]{2}")  # the level of folders named by an entry's first two digits
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH
_YOURS = "set LEAFLET_CACHE to a folder of your own"


class Seal:
    """Seals entries, and checks their seals, with the cache's secret."""

    def __init__(self, key: bytes):
        self._key = key

    def __repr__(self) -> str:
        return "Seal(...)"  # the secret never shows in a log or a crash report

    def of(self, kind: str, name: str, *parts: bytes) -> bytes:
        """An entry's seal (64 hex digits) over its kind (an entry of one cache never passes for another's), its
        name (another entry copied under this name does not pass) and its contents. Each part goes in after its
        length, so no two ways of cutting the same bytes into parts seal alike."""
        mac = hmac.new(self._key, digestmod="sha256")
        for part in (kind.encode("utf-8"), name.encode("utf-8"), *parts):
            mac.update(len(part).to_bytes(8, "big"))
            mac.update(part)
        return mac.hexdigest().encode("ascii")

    def verifies(self, seal: bytes | str, kind: str, name: str, *parts: bytes) -> bool:
        """Whether `seal` is the entry's (compared in constant time)."""
        if isinstance(seal, str):
            seal = seal.encode("utf-8")
        return hmac.compare_digest(seal, self.of(kind, name, *parts))


def open_cache(root: str | Path) -> Seal:
    """The seal of the cache whose speech entries are in `root`, once the folder beside it, `root`, `steps/`,
    `templates/` and the levels of folders leaflet makes in them are found to be the user's own and writable by
    the user alone (those missing are made, at 0700). A cache that cannot be made (a read-only disk) gets a
    secret of this process's own: nothing it keeps is served to another build, which costs time, not a guide."""
    root = Path(root)
    home = root.parent
    if not _made(home):  # a read-only disk: nothing kept here is served again
        return Seal(secrets.token_bytes(KEY_BYTES))
    _check(home, "the folder that holds the cache (its key, steps/ and templates/)",
           f"chmod go-w {_real(home)} if only you use it, or set LEAFLET_CACHE to a folder inside one of your own")
    levels = (root, home / STEPS, home / TEMPLATES)
    for folder in levels:
        if os.path.isdir(folder):
            _check(folder, "the cache folder", f"chmod -R go-w {_real(folder)}, or {_YOURS}")
            _check_shards(folder)
    key = _key(home / KEY)
    for folder in levels:  # once nothing is refused
        _made(folder)
    return Seal(key if key is not None else secrets.token_bytes(KEY_BYTES))


def keep(path: Path, data: bytes) -> None:
    """Write a cache entry atomically (no fsync: an entry lost in a crash is made again), in a level of folders
    made at 0700; a cache that cannot be written costs time, not the guide."""
    try:
        os.mkdir(path.parent, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return  # the cache's own folder is gone or cannot be written
    try:
        atomic_write(path, data, durable=False)
    except OSError:
        pass


def _made(folder: Path) -> bool:
    """Make the folder and any missing above it, each at 0700; whether a folder (or a link to one) is there. A
    file in its place is left alone: nothing can be kept there, and nothing is read from it."""
    missing = [path for path in (folder, *folder.parents) if not os.path.lexists(path)]
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    return os.path.isdir(folder)


def _check(folder: Path, what: str, remedy: str) -> None:
    """Refuse, in one line, a folder of the cache that someone other than the user owns or can write to (or a
    link to it that someone else made: it could lead anywhere)."""
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        if info.st_uid != os.geteuid():
            raise _not_yours(folder, f"{what} is a link made by another user (uid {info.st_uid})")
        info = os.stat(folder)  # a link of the user's own: the folder it leads to is the one to trust
    if info.st_uid != os.geteuid():
        raise _not_yours(folder, f"{what} belongs to another user (uid {info.st_uid})")
    if info.st_mode & _OTHERS_WRITE:
        raise CacheError(f"{what} can be written by other users (mode {stat.S_IMODE(info.st_mode):04o})",
                         where=str(folder), hint=remedy)


def _check_shards(folder: Path) -> None:
    """The level of folders the entries are in (an earlier leaflet made them with the user's umask)."""
    try:
        shards = [Path(entry.path) for entry in os.scandir(folder) if _SHARD.fullmatch(entry.name)]
    except OSError:
        return
    for shard in shards:
        if os.path.isdir(shard):
            _check(shard, "the cache folder", f"chmod -R go-w {_real(folder)}, or {_YOURS}")


def _not_yours(folder: Path, problem: str) -> CacheError:
    return CacheError(problem, where=str(folder), hint=_YOURS)


def _real(folder: Path) -> str:
    return os.path.realpath(folder)


def _key(path: Path) -> bytes | None:
    """The cache's secret, made on first use; refused unless it is a regular file of the user's, at 0600 and
    KEY_BYTES long (one someone else could have read or made would let them seal entries). None when it cannot
    be made."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return _new_key(path)
    if not stat.S_ISREG(info.st_mode):
        problem = "is not a regular file"
    elif info.st_uid != os.geteuid():
        problem = f"belongs to another user (uid {info.st_uid})"
    elif stat.S_IMODE(info.st_mode) != 0o600:
        problem = f"has mode {stat.S_IMODE(info.st_mode):04o}, not 0600: other users may have read it"
    elif info.st_size != KEY_BYTES:
        problem = f"is {info.st_size} bytes long, not {KEY_BYTES}"
    else:
        data = read_limited(path, KEY_BYTES, "cache key", CacheError, follow=False)
        if len(data) == KEY_BYTES:
            return data
        problem = f"is {len(data)} bytes long, not {KEY_BYTES}"
    raise CacheError(f"the cache key {problem}", where=str(path),
                     hint="delete it: leaflet makes a new one, and makes again what was kept under the old one")


def _new_key(path: Path) -> bytes | None:
    """A new secret, written to a file of its own at 0600 and linked in: the key appears whole or not at all, and
    never over one that another build made meanwhile (that one is used)."""
    secret = secrets.token_bytes(KEY_BYTES)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(draft, flags, 0o600)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "wb") as file:
            os.fchmod(fd, 0o600)  # whatever the umask
            file.write(secret)
            file.flush()
            os.fsync(fd)
        os.link(draft, path)
    except FileExistsError:
        return _key(path)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(draft)
    return secret
