"""OUT/manifest.json: every output file with the digest of what it was made from, so a rebuild skips the rest.

One entry per file, keyed by its path under OUT (POSIX): the domain, locale and format it belongs to, `inputs`
(the combined digest), `depends` (the digest of each part, to tell why something was remade), and the file's
own sha256, size and modification time. An output counts as up to date only when every file recorded for it
is still on disk as it was written; a file edited or deleted by hand is made again.

Saving merges into what is on disk under OUT's lock, so two builds into one OUT keep each other's entries; an
output whose file another build has replaced since is left to that build's entry. An output's files are written
under the same lock, so two builds never interleave the files of one output.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import Unwritable, UnsafeOutput
from .fsutil import atomic_write, open_folder, planted

NAME = "manifest.json"
LOCK = f".{NAME}.lock"
VERSION = 1


@dataclass(frozen=True)
class Written:
    """One file a build wrote, as the manifest records it."""

    path: str  # under OUT, POSIX
    sha256: str
    size: int
    mtime_ns: int


class Manifest:
    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = self.out / NAME
        self.groups = _groups(_load(self.path))
        self._changed: dict[tuple[str, str, str], dict[str, dict]] = {}

    def up_to_date(self, domain: str, locale: str, fmt: str, inputs: str) -> bool:
        files = self.groups.get((domain, locale, fmt), {})
        return bool(files) and all(e.get("inputs") == inputs and _unchanged(self.out / p, e) for p, e in files.items())

    def record(self, domain: str, locale: str, fmt: str, inputs: str, depends: dict[str, str], files: list[Written]) -> None:
        """The files now making up one output (any recorded before for it are dropped)."""
        group = {
            f.path: {"domain": domain, "locale": locale, "format": fmt, "inputs": inputs, "depends": depends,
                     "sha256": f.sha256, "bytes": f.size, "mtime_ns": f.mtime_ns}
            for f in files
        }
        self._changed[(domain, locale, fmt)] = self.groups[(domain, locale, fmt)] = group

    @property
    def dirty(self) -> bool:
        return bool(self._changed)

    def save(self) -> None:
        """Merge this build's outputs into the manifest on disk, under a lock, and write it atomically."""
        if not self._changed:
            return
        try:
            self._merge()
        except OSError as error:
            raise Unwritable.because(error) from None

    def _merge(self) -> None:
        with locked(self.out):
            groups = _groups(_load(self.path))  # another build may have saved since this one read it
            # a file another build wrote after this one is that build's to record, not this one's
            groups.update({key: group for key, group in self._changed.items()
                           if not any(_replaced(self.out / p, e) for p, e in group.items())})
            entries = {p: e for group in groups.values() for p, e in group.items()}
            document = {"manifest": VERSION, "outputs": dict(sorted(entries.items()))}
            text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
            atomic_write(self.path, text.encode("utf-8"), inside=self.out)
            self.groups = groups
            self._changed.clear()


@contextmanager
def locked(out: Path):
    """OUT's lock, held by one process of one build at a time. The lock file is opened without following a link
    (one planted there would have it made, empty, wherever it points) and without waiting (a pipe would block
    the open for ever); anything but a regular file there is refused."""
    flags = os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    with open_folder(out) as where:
        try:
            fd = os.open(LOCK, flags, 0o666, dir_fd=where)
        except OSError as error:
            if error.errno == errno.ELOOP:  # O_NOFOLLOW's answer for a link (its target is never created)
                raise planted(out / LOCK) from None
            raise OSError(error.errno, error.strerror, str(out / LOCK)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeOutput("is not a regular file (a pipe, a socket, a device or a folder), and leaflet locks"
                               " the output folder with it", where=str(out / LOCK), hint="remove it: leaflet makes"
                               " its lock file itself")
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def written(out: Path, path: Path, sha256: str, info: os.stat_result) -> Written:
    """The manifest's record of a file just written (`info`: what the write left on disk)."""
    return Written(path.relative_to(out).as_posix(), sha256, info.st_size, info.st_mtime_ns)


def _unchanged(path: Path, entry: dict) -> bool:
    try:
        info = os.lstat(path)  # a link put in an output's place is not the file written there
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == entry.get("bytes") and info.st_mtime_ns == entry.get("mtime_ns")


def _replaced(path: Path, entry: dict) -> bool:
    """The file is there, but not as this entry recorded it."""
    return os.path.lexists(path) and not _unchanged(path, entry)


def _groups(entries: dict[str, dict]) -> dict[tuple[str, str, str], dict[str, dict]]:
    groups: dict[tuple[str, str, str], dict[str, dict]] = {}
    for path, entry in entries.items():
        groups.setdefault((entry.get("domain"), entry.get("locale"), entry.get("format")), {})[path] = entry
    return groups


def _load(path: Path) -> dict[str, dict]:
    """The recorded entries; a missing, unreadable or foreign manifest records nothing (everything is made)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("manifest") != VERSION or not isinstance(document.get("outputs"), dict):
        return {}
    return {p: e for p, e in document["outputs"].items() if isinstance(e, dict)}
