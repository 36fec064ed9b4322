"""OUT/manifest.json: every output file with the digest of what it was made from, so a rebuild skips the rest.

One entry per file, keyed by its path under OUT (POSIX): the domain, locale and format it belongs to, `inputs`
(the combined digest), `depends` (the digest of each part, to tell why something was remade), and the file's
own sha256, size and modification time. An output counts as up to date only when every file recorded for it
is still on disk as it was written; a file edited or deleted by hand is made again.

Saving merges into what is on disk under OUT's lock, so two builds into one OUT keep each other's entries; an
output whose file another build has replaced since is left to that build's entry. An output's files are written
under the same lock, so two builds never interleave the files of one output.

Whose file it is. OUT may be a folder the user shares with other programs, so a manifest.json there is read
before it is replaced, by one rule:
- leaflet's: a JSON object marked `"generator": "leaflet"`, or, written before the marker, one whose keys are
  exactly `manifest` and `outputs`. A damaged one (another version, `outputs` not an object, entries of the
  wrong shape or naming a path outside OUT) records what is still sound, with one warning; the rest is made
  again and the manifest written anew.
- not JSON, but begun as leaflet begins its manifest (`{"manifest":`), or empty: leaflet's own, cut short or
  garbled (not UTF-8, nested deeper than the parser goes): it records nothing, with one warning. Other bytes
  that are not JSON (a byte order mark, a comment, UTF-16) are another program's, as below.
- any other JSON (an array, a string, an object without leaflet's mark or shape, such as another tool's
  manifest): not leaflet's, and never overwritten. The build is refused, naming the file, before anything is
  written.
A manifest that is a symbolic link, a pipe, a device or over MAX_BYTES is refused too, without being read.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import Unwritable, UnsafeOutput
from .fsutil import atomic_write, open_folder, planted, read_limited

NAME = "manifest.json"
LOCK = f".{NAME}.lock"
VERSION = 1
GENERATOR = "leaflet"  # the mark that tells leaflet's manifest from another program's
MAX_BYTES = 64 * 2**20  # about 90,000 outputs' entries: far beyond any clinic's OUT


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
        entries, self.warning = _load(self.path)  # the warning: what was damaged in it, for the build to tell
        self.groups = _groups(entries)
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
            groups = _groups(_load(self.path)[0])  # another build may have saved since this one read it
            # a file another build wrote after this one is that build's to record, not this one's
            groups.update({key: group for key, group in self._changed.items()
                           if not any(_replaced(self.out / p, e) for p, e in group.items())})
            entries = {p: e for group in groups.values() for p, e in group.items()}
            document = {"manifest": VERSION, "generator": GENERATOR, "outputs": dict(sorted(entries.items()))}
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
    return stat.S_ISREG(info.st_mode) and info.st_size == entry["bytes"] and info.st_mtime_ns == entry["mtime_ns"]


def _replaced(path: Path, entry: dict) -> bool:
    """The file is there, but not as this entry recorded it."""
    return os.path.lexists(path) and not _unchanged(path, entry)


def _groups(entries: dict[str, dict]) -> dict[tuple[str, str, str], dict[str, dict]]:
    groups: dict[tuple[str, str, str], dict[str, dict]] = {}
    for path, entry in entries.items():
        groups.setdefault((entry["domain"], entry["locale"], entry["format"]), {})[path] = entry
    return groups


def _load(path: Path) -> tuple[dict[str, dict], str | None]:
    """The entries recorded that are sound, and a warning if some were not (the module says whose file is whose);
    no manifest yet records nothing."""
    try:
        data = read_limited(path, MAX_BYTES, "manifest", Unwritable, follow=False)
    except Unwritable:
        if not os.path.lexists(path):
            return {}, None
        raise
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # a UnicodeDecodeError is a ValueError
        if data.strip() and not begun_as_leaflets(data):  # an empty one was cut short before its first byte
            raise _foreign(path) from None
        return {}, f"{path}: the manifest is damaged (not JSON): everything is made again and it is written anew"
    if not _leaflets(document):
        raise _foreign(path)
    outputs = document.get("outputs")
    if document.get("manifest") != VERSION or not isinstance(outputs, dict):
        return {}, (f"{path}: the manifest is damaged or from another version of leaflet: everything is made"
                    " again and it is written anew")
    entries = {p: e for p, e in outputs.items() if _sound(p, e)}
    if len(entries) < len(outputs):
        return entries, (f"{path}: {len(outputs) - len(entries)} of its {len(outputs)} entries are damaged: their"
                         " outputs are made again")
    return entries, None


_OPENING = re.compile(rb'\s*\{\s*"(?:manifest|generator)"\s*:')


def begun_as_leaflets(data: bytes) -> bool:
    """Whether bytes begin as every manifest leaflet wrote begins (its first key). Bytes that begin otherwise and
    are not JSON (a web app's manifest with a byte order mark or a comment, UTF-16) are another program's."""
    return bool(_OPENING.match(data))


def _foreign(path: Path) -> Unwritable:
    return Unwritable("is not leaflet's manifest (another program's file?), and leaflet does not overwrite it",
                      where=str(path), hint="build into another folder with -o, or move the file away")


def _leaflets(document) -> bool:
    """Marked as leaflet's, or shaped as every manifest leaflet wrote before the mark."""
    if not isinstance(document, dict):
        return False
    return document.get("generator") == GENERATOR or set(document) == {"manifest", "outputs"}


_TEXT = ("domain", "locale", "format", "inputs", "sha256")
_NUMBERS = ("bytes", "mtime_ns")


def _sound(path: str, entry) -> bool:
    """An entry as leaflet writes one: its fields of the right types, its path a file's path inside OUT."""
    if not isinstance(entry, dict) or not isinstance(entry.get("depends"), dict):
        return False
    if not all(isinstance(entry.get(key), str) for key in _TEXT):
        return False
    if not all(type(entry.get(key)) is int for key in _NUMBERS):  # a bool is an int to isinstance
        return False
    if "\x00" in path:  # no file has one in its name: the file system refuses to be asked about it
        return False
    name = PurePosixPath(path)
    return bool(name.parts) and not name.is_absolute() and ".." not in name.parts
