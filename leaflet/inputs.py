"""What an output is made from, as digests: the incremental build's notion of "nothing changed".

Each output (a procedure's leaflet or audio guide in one locale) depends on named parts: leaflet's own code, the
source text, the catalogs, the configuration, the fonts (a PDF) or the voice and pronunciation list (a guide),
and the build options. The parts are recorded beside each file in OUT/manifest.json, so a rebuild can say
why it remade something; their combined digest decides whether it must.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from functools import lru_cache
from pathlib import Path

from . import __version__, wording
from .catalogs import Layout
from .config import Config
from .locales import SOURCE_LOCALE
from .localize import catalog_path, is_source_locale
from .speech import pronunciation

PACKAGE = Path(__file__).resolve().parent
MAX_DIGESTED = 64 * 2**20  # the largest of the limits files are read under (a font's)


def combined(parts: dict[str, str]) -> str:
    """The one digest a manifest entry is compared by."""
    return _sha(json.dumps(parts, sort_keys=True).encode("utf-8"))


@lru_cache(maxsize=1)
def code() -> str:
    """leaflet's version and a digest of its own source: a changed writer remakes what it wrote, even when the
    version number was not raised (as during development)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


class Digests:
    """Digests of the files a build reads, each file read once per build."""

    def __init__(self, layout: Layout, config: Config):
        self.layout = layout
        self.config = config
        self._files: dict[Path, str] = {}
        self._lists: dict[str, str] = {}  # locale -> its pronunciation list's digest
        self._config: str | None = None
        self._fonts: str | None = None

    def file(self, path: Path | None) -> str:
        """A file's content digest; "-" for a file that is not there (its appearing is a change too)."""
        if path is None:
            return "-"
        if path not in self._files:
            self._files[path] = _file_digest(path)
        return self._files[path]

    def parts(self, source: Path, domain: str, locale: str, fmt: str, options: dict[str, str]) -> dict[str, str]:
        """Everything one output depends on, by name; `options` are the build's settings for this format."""
        catalogs = "-"
        if not is_source_locale(locale):
            catalogs = ",".join(self.file(catalog_path(self.layout, d, locale)) for d in (domain, wording.DOMAIN))
        parts = {
            "leaflet": code(),
            "source": self.file(Path(source)),
            "catalogs": catalogs,
            "config": self.config_digest(),
            "date": os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
            **options,
        }
        if fmt == "pdf":
            parts["fonts"] = self.fonts()
            if not is_source_locale(locale):  # a review covers the list: its edit turns the leaflet into a draft
                parts["pronunciation"] = self.pronunciation(locale)
        else:
            parts["pronunciation"] = ",".join(self.pronunciation(l) for l in dict.fromkeys((locale, SOURCE_LOCALE)))
        return parts

    def pronunciation(self, locale: str) -> str:
        """The digest of a locale's pronunciation list, as a review records it ("unreadable" for a list the build
        refuses), once per build."""
        if locale not in self._lists:
            self._lists[locale] = pronunciation.digest(self.layout.root, locale)
        return self._lists[locale]

    def config_digest(self) -> str:
        if self._config is None:
            c = self.config
            fields = [c.clinic, c.phone, str(c.audio_url), c.paper, repr(c.font_size), json.dumps(c.fonts, sort_keys=True, default=str), json.dumps(c.headings, sort_keys=True)]
            self._config = _sha("\0".join(fields).encode("utf-8") + b"\0" + self.file(c.logo).encode("ascii"))
        return self._config

    def fonts(self) -> str:
        """Every font file a leaflet could be drawn with: installed, configured and shipped (by path, size and
        time: font files are large and change only when a package does)."""
        if self._fonts is None:
            from .render.fonts import EMBEDDED, _installed_files

            paths = sorted({*_installed_files().values(), *EMBEDDED[1:]})
            for override in self.config.fonts.values():
                paths += [Path(str(override[k])).expanduser() for k in ("regular", "bold") if override.get(k)]
            self._fonts = _sha("\n".join(_stat(p) for p in paths).encode("utf-8"))
        return self._fonts


def _file_digest(path: Path) -> str:
    """A file's content digest, read in pieces. A file past any limit leaflet reads a file under, or one that is
    no regular file (a pipe would wait for a writer), stands here by its size and time: it is refused when it is
    read, and no gigabyte is read to hash it first."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return "-"
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_DIGESTED:
            return f"unread {info.st_mode:o} {info.st_size} {info.st_mtime_ns}"
        digest = hashlib.sha256()
        while chunk := file.read(2**20):
            digest.update(chunk)
        return digest.hexdigest()


def _stat(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"{path} -"
    return f"{path} {info.st_size} {info.st_mtime_ns}"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
