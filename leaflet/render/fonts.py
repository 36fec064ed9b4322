"""Fonts per script: found on the system or set in config, one face chosen per character, never a missing glyph.

ReportLab draws a character its font lacks as glyph 0 without a word, so every character is given a face
whose character map holds it before anything is drawn, and a character no face holds is refused.
"""

from __future__ import annotations

import io
import os
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from babel import Locale
from fontTools.ttLib import TTCollection, TTFont as ToolsFont
from fontTools import unicodedata as ucd

from ..errors import RenderError
from ..fsutil import read_limited
from .outlines import Outlines, check_tables, damaged

ASSETS_FONTS = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
# Shipped with leaflet, so that Latin, Greek and Cyrillic build on a machine with no fonts at all.
EMBEDDED = ("DejaVu Sans", ASSETS_FONTS / "DejaVuSans.ttf", ASSETS_FONTS / "DejaVuSans-Bold.ttf")

FONT_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)


@dataclass(frozen=True)
class Candidate:
    """A font family leaflet knows to be a plain, legible sans serif for a script, by its file names."""

    family: str
    regular: tuple[str, ...]
    bold: tuple[str, ...] = ()
    index: int = 0  # the face inside a .ttc collection


# Preferred first. Every entry is a TrueType-outline font: ReportLab refuses CFF (.otf) outlines.
_LATIN = (
    Candidate("Atkinson Hyperlegible Next", ("AtkinsonHyperlegibleNext-Regular.ttf",), ("AtkinsonHyperlegibleNext-Bold.ttf",)),
    Candidate("Atkinson Hyperlegible", ("AtkinsonHyperlegible-Regular.ttf",), ("AtkinsonHyperlegible-Bold.ttf",)),
    Candidate("Noto Sans", ("NotoSans-Regular.ttf",), ("NotoSans-Bold.ttf",)),
)
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "Latn": _LATIN,
    "Cyrl": _LATIN,
    "Grek": _LATIN,
    "Arab": (
        Candidate("Noto Sans Arabic", ("NotoSansArabic-Regular.ttf",), ("NotoSansArabic-Bold.ttf",)),
        Candidate("Noto Naskh Arabic", ("NotoNaskhArabic-Regular.ttf",), ("NotoNaskhArabic-Bold.ttf",)),
    ),
    "Hebr": (Candidate("Noto Sans Hebrew", ("NotoSansHebrew-Regular.ttf",), ("NotoSansHebrew-Bold.ttf",)),),
    "Deva": (Candidate("Noto Sans Devanagari", ("NotoSansDevanagari-Regular.ttf",), ("NotoSansDevanagari-Bold.ttf",)),),
    "Beng": (Candidate("Noto Sans Bengali", ("NotoSansBengali-Regular.ttf",), ("NotoSansBengali-Bold.ttf",)),),
    "Guru": (Candidate("Noto Sans Gurmukhi", ("NotoSansGurmukhi-Regular.ttf",), ("NotoSansGurmukhi-Bold.ttf",)),),
    "Gujr": (Candidate("Noto Sans Gujarati", ("NotoSansGujarati-Regular.ttf",), ("NotoSansGujarati-Bold.ttf",)),),
    "Taml": (Candidate("Noto Sans Tamil", ("NotoSansTamil-Regular.ttf",), ("NotoSansTamil-Bold.ttf",)),),
    "Thai": (Candidate("Noto Sans Thai", ("NotoSansThai-Regular.ttf",), ("NotoSansThai-Bold.ttf",)),),
    "Hans": (
        Candidate("WenQuanYi Zen Hei", ("wqy-zenhei.ttc",)),
        Candidate("Droid Sans Fallback", ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf")),
    ),
    "Kore": (Candidate("NanumGothic", ("NanumGothic.ttf",), ("NanumGothicBold.ttf",)),),
}
CANDIDATES["Hant"] = CANDIDATES["Hans"]
CANDIDATES["Jpan"] = CANDIDATES["Hans"]

# The Debian/Ubuntu package that brings a script's fonts, named when a locale has to be refused.
PACKAGES = {
    "Arab": "fonts-noto-core", "Hebr": "fonts-noto-core", "Deva": "fonts-noto-core", "Beng": "fonts-noto-core",
    "Guru": "fonts-noto-core", "Gujr": "fonts-noto-core", "Taml": "fonts-noto-core", "Thai": "fonts-noto-core",
    "Hans": "fonts-wqy-zenhei", "Hant": "fonts-wqy-zenhei", "Jpan": "fonts-wqy-zenhei", "Kore": "fonts-nanum",
    "Latn": "fonts-noto-core", "Cyrl": "fonts-noto-core", "Grek": "fonts-noto-core",
}
# What a script is called in a message.
SCRIPT_NAMES = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Grek": "Greek", "Arab": "Arabic", "Hebr": "Hebrew", "Deva": "Devanagari",
    "Beng": "Bengali", "Guru": "Gurmukhi", "Gujr": "Gujarati", "Taml": "Tamil", "Thai": "Thai",
    "Hans": "Chinese (Simplified)", "Hant": "Chinese (Traditional)", "Jpan": "Japanese", "Kore": "Korean",
}
# The largest font installed here is 16 MB (wqy-zenhei.ttc, Chinese; the shipped DejaVu Sans is 0.7 MB): four times
# that leaves room for a larger collection, and a padded file is refused before a gigabyte is read.
MAX_FONT_BYTES = 64 * 2**20
RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo"}
# A character's script (fontTools) -> the font list that covers it.
_FONT_SCRIPT = {"Hani": "Hans", "Hang": "Kore", "Hira": "Jpan", "Kana": "Jpan", "Bopo": "Hant"}


def locale_script(locale: str) -> str:
    """The ISO 15924 script a locale is written in: 'ar' -> 'Arab', 'zh_Hans' -> 'Hans', 'ko' -> 'Kore'."""
    parsed = Locale.parse(locale)
    script = parsed.script
    if not script:
        parts = _likely(parsed.language, parsed.territory).split("_")
        script = next((p for p in parts[1:] if len(p) == 4 and p.istitle()), "Latn")
    if parsed.language == "zh":
        return "Hant" if script == "Hant" else "Hans"
    if parsed.language == "ja":
        return "Jpan"
    if parsed.language == "ko":
        return "Kore"
    return script


def _likely(language: str, territory: str | None) -> str:
    from babel.core import get_global

    subtags = get_global("likely_subtags")
    for key in (f"{language}_{territory}" if territory else None, language):
        if key and key in subtags:
            return subtags[key]
    return language


def locale_territory(locale: str) -> str | None:
    parsed = Locale.parse(locale)
    if parsed.territory:
        return parsed.territory
    key = f"{parsed.language}_{parsed.script}" if parsed.script else parsed.language
    parts = _likely(key, None).split("_")
    return next((p for p in parts[1:] if len(p) in (2, 3) and (p.isupper() or p.isdigit())), None)


@dataclass(frozen=True)
class Face:
    """One font file (a face of it, for a collection), with the characters it can draw."""

    family: str
    path: Path
    index: int
    bold: bool  # a true bold face; otherwise bold text is drawn with a thin outline added
    cmap: frozenset[int]
    # The file's bytes as read and checked: ReportLab and HarfBuzz draw from these, not from the file again.
    data: bytes = field(default=b"", compare=False, repr=False)

    @cached_property
    def name(self) -> str:
        """The name leaflet registers the face under in ReportLab: stable, so output is reproducible. Worked out
        once per face: it keys the shaping cache, which asks for it for every piece of text measured."""
        stem = "".join(ch for ch in f"{self.path.stem}-{self.index}" if ch.isalnum() or ch == "-")
        return f"L-{stem}"

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap

    @cached_property
    def outlines(self) -> Outlines:
        """Its glyphs, each decoded and checked the first time a leaflet sets it."""
        data = self.data or read_limited(self.path, MAX_FONT_BYTES, "font", RenderError)
        return Outlines(data, self.index, self.path)


def _check_legible(font, path: Path) -> None:
    """Large print: no italic or oblique, no light or thin weight (../shared/STANDARDS.md). The slant is read from
    the raw 'post' table (its italicAngle, a 16.16 number at byte 4): fontTools would decode the table's glyph
    names with it, a tenth of a second for the shipped faces in every worker of a build."""
    post = font.reader["post"] if "post" in font.reader else b""
    slanted = len(post) >= 8 and int.from_bytes(post[4:8], "big", signed=True) != 0
    italic = slanted or ("OS/2" in font and font["OS/2"].fsSelection & 1)
    if italic:
        raise RenderError("this font is italic; large print uses upright letters only", where=str(path))
    if "OS/2" in font and font["OS/2"].usWeightClass < 400:
        raise RenderError(
            f"this font is a light weight ({font['OS/2'].usWeightClass}); large print uses regular or bold",
            where=str(path),
        )


def _characters(font, path: Path) -> frozenset[int]:
    """The characters a font maps. Its glyphs are numbered first, not named: to read the map, fontTools would
    name every glyph, and for a font whose names are not in it (NanumGothic's 20,000) it makes them up from
    the map itself, reading it twice (three quarters of the time NanumGothic's map took). A character mapped to a
    glyph the font does not have is damage (ReportLab would fail on it as it saved the PDF)."""
    order = [f"glyph{gid}" for gid in range(font["maxp"].numGlyphs)]
    font.setGlyphOrder(order)
    best = font.getBestCmap() or {}
    if not set(best.values()) <= set(order):
        raise damaged(path, "its character map names a glyph it does not have")
    return frozenset(best)


@lru_cache(maxsize=None)
def load_face(family: str, path: Path, index: int = 0, bold: bool = False) -> Face:
    """A face read once per process: a regular file of at most 64 MB, upright and not light, whose glyph tables
    are whole (`outlines.check_tables`; each glyph a leaflet draws is decoded once more as it is set)."""
    data = read_limited(path, MAX_FONT_BYTES, "font", RenderError)
    try:
        if data[:4] == b"ttcf":
            font = TTCollection(io.BytesIO(data), lazy=True).fonts[index]
        else:
            font = ToolsFont(io.BytesIO(data), lazy=True, fontNumber=index)
        if font.reader.flavor is not None:  # WOFF: compressed tables, which ReportLab cannot read
            raise RenderError("this is a web font (WOFF); use the TrueType (.ttf) file", where=str(path))
        if "glyf" not in font:
            raise RenderError(
                "this font has CFF (PostScript) outlines, which the PDF writer cannot embed; use a TrueType (.ttf) font",
                where=str(path),
            )
        _check_legible(font, path)
        check_tables(font, data, path)
        cmap = _characters(font, path)
    except RenderError:
        raise
    except Exception as error:  # fontTools raises many kinds for a damaged file
        raise RenderError(f"cannot read this font ({error.__class__.__name__})", where=str(path)) from None
    return Face(family, path, index, bold, cmap, data)


def system_fonts_enabled() -> bool:
    """LEAFLET_SYSTEM_FONTS=0 builds with the configured and embedded fonts only (reproducible anywhere)."""
    return os.environ.get("LEAFLET_SYSTEM_FONTS", "1").strip().lower() not in ("0", "no", "false", "off")


def _installed_files() -> dict[str, Path]:
    return _scan_installed() if system_fonts_enabled() else {}


@lru_cache(maxsize=1)
def _scan_installed() -> dict[str, Path]:
    """File name -> path of every font file on the system: fontconfig's list, else the usual folders."""
    found: dict[str, Path] = {}
    try:
        listing = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=20, check=False
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        listing = []
    paths = [Path(line) for line in listing if line.strip()]
    if not paths:
        for folder in FONT_FOLDERS:
            if folder.is_dir():
                paths.extend(p for p in folder.rglob("*") if p.suffix.lower() in (".ttf", ".ttc"))
    for path in sorted(paths):
        found.setdefault(path.name, path)
    return found


@dataclass(frozen=True)
class FaceChoice:
    regular: Face
    bold: Face


def find_script_faces(script: str, overrides: dict[str, dict] | None = None) -> FaceChoice | None:
    """The faces for a script: the config's, else the first installed candidate, else (Latin-like) the embedded."""
    override = (overrides or {}).get(script)
    if override:
        regular = load_face(override.get("family", script), Path(override["regular"]).expanduser(), int(override.get("index", 0)))
        bold_path = override.get("bold")
        bold = load_face(regular.family, Path(bold_path).expanduser(), int(override.get("index", 0)), True) if bold_path else regular
        return FaceChoice(regular, bold)
    installed = _installed_files()
    for candidate in CANDIDATES.get(script, ()) or _noto_candidate(script):
        regular_path = next((installed[n] for n in candidate.regular if n in installed), None)
        if regular_path is None:
            continue
        regular = load_face(candidate.family, regular_path, candidate.index)
        bold_path = next((installed[n] for n in candidate.bold if n in installed), None)
        bold = load_face(candidate.family, bold_path, candidate.index, True) if bold_path else regular
        return FaceChoice(regular, bold)
    if script in ("Latn", "Cyrl", "Grek"):
        return embedded_faces()
    return None


def _noto_candidate(script: str) -> tuple[Candidate, ...]:
    """For a script leaflet has no list for: Noto Sans <Script> (fonts-noto-core), e.g. NotoSansArmenian."""
    name = ucd.script_name(script, default="").replace(" ", "").replace("_", "")
    if not name:
        return ()
    return (Candidate(f"Noto Sans {name}", (f"NotoSans{name}-Regular.ttf",), (f"NotoSans{name}-Bold.ttf",)),)


def embedded_faces() -> FaceChoice:
    family, regular, bold = EMBEDDED
    return FaceChoice(load_face(family, regular), load_face(family, bold, 0, True))


class FontSet:
    """The faces a locale's leaflet uses, in order of preference, and the choice of face for each character."""

    def __init__(self, locale: str, overrides: dict[str, dict] | None = None):
        self.locale = locale
        self.script = locale_script(locale)
        main = find_script_faces(self.script, overrides)
        if main is None:
            package = PACKAGES.get(self.script, "fonts-noto-core")
            name = SCRIPT_NAMES.get(self.script) or ucd.script_name(self.script, default=self.script)
            raise RenderError(
                f"no installed font covers {name}, the script of locale {locale}",
                hint=f"install the OS package {package} (apt-get install {package}) or set [fonts.{self.script}] in leaflet.toml",
            )
        chain = [main]
        if self.script in ("Kore", "Jpan", "Hans", "Hant"):
            # Han characters in Korean or Japanese text, and the other way round
            for other in ("Hans", "Kore"):
                extra = find_script_faces(other, overrides) if other != self.script else None
                if extra is not None:
                    chain.append(extra)
        if self.script not in ("Latn", "Cyrl", "Grek"):
            latin = find_script_faces("Latn", overrides)
            if latin is not None:
                chain.append(latin)  # Latin words and digits inside other scripts
        chain.append(embedded_faces())
        unique: list[FaceChoice] = []
        for choice in chain:
            if choice not in unique:
                unique.append(choice)
        self.chain = tuple(unique)
        self.rtl = self.script in RTL_SCRIPTS
        self._overrides = overrides
        self._extra: dict[str, FaceChoice | None] = {}  # fonts of other scripts met in the text

    @property
    def main(self) -> FaceChoice:
        return self.chain[0]

    def face_for(self, char: str, bold: bool = False) -> Face | None:
        for choice in self.chain:
            face = choice.bold if bold else choice.regular
            if face.covers(char):
                return face
        # A word of another script (a Hindi name in an English leaflet): that script's font, if installed.
        script = _FONT_SCRIPT.get(ucd.script(char), ucd.script(char))
        if script not in self._extra:
            self._extra[script] = find_script_faces(script, self._overrides) if script not in ("Zyyy", "Zinh", "Zzzz") else None
        choice = self._extra[script]
        if choice is not None:
            face = choice.bold if bold else choice.regular
            if face.covers(char):
                return face
        return None

    def runs(self, text: str, bold: bool = False, where: str | None = None) -> list[tuple[str, Face]]:
        """Split text into (text, face) runs. Spaces and invisible format characters stay in the run around them."""
        main = self.main.bold if bold else self.main.regular
        if text and "\u00ad" not in text and main.covers(" ") and main.cmap.issuperset(map(ord, text)):
            return [(text, main)]  # what the walk makes of text whose every character the main face has
        return self._walk(text, bold, where)

    def _walk(self, text: str, bold: bool, where: str | None) -> list[tuple[str, Face]]:
        """`runs` a character at a time."""
        out: list[tuple[str, Face]] = []
        pending = ""
        for char in text:
            if char == "\u00ad":  # a soft hyphen is a hint, never drawn
                continue
            joins = char.isspace() or unicodedata.category(char) in ("Cf", "Mn", "Mc", "Me")
            if joins and out and (out[-1][1].covers(char) or unicodedata.category(char) == "Cf"):
                out[-1] = (out[-1][0] + char, out[-1][1])  # stays with the run around it
                continue
            if joins and not out and (char.isspace() or unicodedata.category(char) == "Cf"):
                pending += char  # invisible controls and leading spaces wait for the first letter's face
                continue
            if joins and out and not char.isspace():
                # a mark the letter's face lacks: move the letter to a face that has both
                base = out[-1][0][-1]
                both = next((c.bold if bold else c.regular for c in self.chain
                             if (c.bold if bold else c.regular).covers(base) and (c.bold if bold else c.regular).covers(char)), None)
                if both is not None:
                    head = out[-1][0][:-1]
                    if head:
                        out[-1] = (head, out[-1][1])
                    else:
                        out.pop()
                    if out and out[-1][1] == both:
                        out[-1] = (out[-1][0] + base + char, both)
                    else:
                        out.append((base + char, both))
                    continue
            face = self.face_for(char, bold)
            if face is None:
                raise RenderError(
                    f"no font here can draw the character {char!r} (U+{ord(char):04X}, {ucd.script_name(ucd.script(char))} script)",
                    where=where,
                    hint="remove it from the text, or set a font that has it in leaflet.toml [fonts]",
                )
            if out and out[-1][1] == face:
                out[-1] = (out[-1][0] + char, face)
            else:
                out.append((pending + char, face))
                pending = ""
        if pending:
            face = self.face_for(" ", bold) or self.main.regular
            out.append((pending, face))
        return out
