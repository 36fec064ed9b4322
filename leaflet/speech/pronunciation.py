"""A locale's pronunciation list, translations/<locale>/pronunciation.toml, as a file: read within limits, each
entry with the line it is on, and its digest (what a review vouches for).

The list is untrusted text like a catalog: it changes what a patient hears, so `leaflet check` checks it
(checks.check_pronunciation), a review covers it, and a list too big or with too many entries is refused here.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ..errors import CatalogError, LeafletError
from ..fsutil import read_limited
from ..locales import normalize

PRONUNCIATION_FILE = "pronunciation.toml"
MAX_BYTES = 256 * 1024  # the shipped lists are 1-4 kB
MAX_ENTRIES = 2000  # the longest shipped list has 113
# An entry over these is an error (refused); the warnings of `leaflet check` start lower (checks.py).
MAX_WRITTEN = 100
MAX_SPOKEN = 400
TABLES = ("say", "numbers")  # [numbers]: a whole number said in words, for a voice that says it wrong
NO_LIST = "none"  # the digest of a locale with no list


@dataclass(frozen=True)
class Entry:
    written: str
    spoken: str
    line: int  # 0 when it could not be found (a dotted or unusual key)
    table: str  # "say" | "numbers"


@dataclass(frozen=True)
class PronunciationList:
    path: Path
    entries: tuple[Entry, ...]
    percent: str | None  # [forms] percent = "... {number} ..."
    percent_line: int
    digest: str
    # Entries whose written form is blank (" ", "", a tab): never given to the voice, which would say them at every
    # space (or fail on ""), but kept so that `leaflet check` reports them instead of their vanishing unseen.
    blank: tuple[Entry, ...] = ()

    def where(self, line: int) -> str:
        return f"{self.path}:{line}" if line else str(self.path)


def list_path(translations: Path, locale: str) -> Path | None:
    """The list for a locale or its parent (pt_BR -> pt), as gettext falls back; None if there is none."""
    parts = normalize(locale).split("_")
    for i in range(len(parts), 0, -1):
        path = Path(translations) / "_".join(parts[:i]) / PRONUNCIATION_FILE
        if os.path.lexists(path):  # whatever stands there is read or refused: a pipe or a folder is not "no list"
            return path
    return None


def list_paths(translations: Path) -> list[Path]:
    """Every list under the catalogs folder, by locale."""
    root = Path(translations)
    return sorted(root.glob(f"*/{PRONUNCIATION_FILE}")) if root.is_dir() else []


def _bytes(path: Path) -> bytes:
    return read_limited(path, MAX_BYTES, "pronunciation list", CatalogError)


def digest(translations: Path, locale: str) -> str:
    """What a review of a locale records of its list: a digest of the file's bytes ("none" without a list,
    "unreadable" for one that cannot be read, which matches no review)."""
    path = list_path(translations, locale)
    if path is None:
        return NO_LIST
    try:
        return _digest(_bytes(path))
    except LeafletError:
        return "unreadable"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def read_list(path: Path) -> PronunciationList:
    """The list as written, or CatalogError in one line naming the file (and the line, where there is one)."""
    data = _bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogError("the pronunciation list is not UTF-8 text", where=str(path)) from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise CatalogError(f"not valid TOML: {problem}", where=str(path)) from None
    lines = _key_lines(text)
    entries, blank = [], []
    for name in TABLES:
        pairs = table.get(name, {})
        if not isinstance(pairs, dict) or any(not isinstance(v, str) for v in pairs.values()):
            raise CatalogError(f'[{name}] must hold lines like "written" = "spoken"', where=str(path))
        for k, v in pairs.items():
            (entries if k.strip() else blank).append(Entry(k, v, lines.get((name, k), 0), name))
    if len(entries) > MAX_ENTRIES:
        raise CatalogError(f"the pronunciation list has {len(entries)} entries, more than the {MAX_ENTRIES} leaflet reads",
                           where=str(path))
    forms = table.get("forms", {})
    percent = forms.get("percent") if isinstance(forms, dict) else None
    if not isinstance(forms, dict) or (percent is not None and (not isinstance(percent, str) or "{number}" not in percent)):
        raise CatalogError('[forms] may hold percent = "... {number} ..." (how "50%" is said)', where=str(path))
    return PronunciationList(Path(path), tuple(entries), percent, lines.get(("forms", "percent"), 0), _digest(data),
                             tuple(blank))


_TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""\s*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)\s*=""")


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """(table, key) -> the line the key is on, for findings that name it."""
    found: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = header.group(1)
            continue
        key = _KEY.match(line)
        if key:
            try:
                name = next(iter(tomllib.loads(f"{key.group(1)} = 0")))
            except (tomllib.TOMLDecodeError, StopIteration):
                continue
            found.setdefault((table, name), number)
    return found
