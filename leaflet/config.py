"""leaflet.toml: the clinic's contact, logo, audio address, paper, type size and fonts per script."""

from __future__ import annotations

import math
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import LeafletError
from .fsutil import read_limited
from .legible import unprintable

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_CONFIG = ASSETS / "leaflet.toml"
CONFIG_NAME = "leaflet.toml"
MIN_FONT_SIZE = 16.0
MAX_FONT_SIZE = 36.0  # giant print; beyond it a line holds a word or two
PAPERS = ("auto", "a4", "letter")
_EXAMPLE_CLINIC = "Example Clinic"
# The shipped leaflet.toml is 1.3 kB; a clinic's with its own headings and fonts a few kB. A pronunciation list
# (read_toml too) is a few hundred lines.
MAX_CONFIG_BYTES = 2**20
MAX_URL = 300  # characters of audio_url; a QR code of 40 mm scans easily up to about that


class ConfigError(LeafletError):
    category = "config"


@dataclass(frozen=True)
class Config:
    clinic: str = _EXAMPLE_CLINIC
    phone: str = "555 0100"
    logo: Path | None = ASSETS / "logo.png"
    audio_url: str | None = None
    paper: str = "auto"
    font_size: float = 18.0
    fonts: dict[str, dict] = field(default_factory=dict)
    path: Path | None = None  # the file it came from
    # The clinic's own headings and the section each starts ({"nach der behandlung": "recovery"}), normalized
    headings: dict[str, str] = field(default_factory=dict)

    @property
    def is_example(self) -> bool:
        return self.clinic == _EXAMPLE_CLINIC

    def audio_link(self, domain: str, locale: str) -> str | None:
        if not self.audio_url:
            return None
        # Plain replacement, not str.format: a template must not reach into Python objects.
        return self.audio_url.replace("{domain}", domain).replace("{locale}", locale)


def load(path: str | Path | None = None) -> Config:
    """The given file, else ./leaflet.toml, else the commented default shipped in assets/."""
    if path is not None:
        chosen = Path(path)
    elif os.path.lexists(CONFIG_NAME):  # a pipe or folder of that name is refused, not passed over for the example
        chosen = Path(CONFIG_NAME)
    else:
        chosen = DEFAULT_CONFIG
    return parse(read_toml(chosen, "the configuration file", ConfigError), chosen)


def read_toml(path: Path, what: str, error: type[LeafletError]) -> dict:
    """A TOML file as a dict, or `error` in one line naming the file: "<what> is not UTF-8 text", "not valid TOML",
    or not a regular file of at most 1 MB."""
    data = read_limited(path, MAX_CONFIG_BYTES, what.removeprefix("the "), error)
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise error(f"{what} is not UTF-8 text", where=str(path)) from None
    except tomllib.TOMLDecodeError as problem:
        raise error(f"not valid TOML: {problem}", where=str(path)) from None


def parse(data: dict, where: Path) -> Config:
    allowed = {"clinic", "audio_url", "paper", "font_size", "fonts", "headings"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(allowed))})", where=str(where))
    clinic = _table(data, "clinic", where)
    unknown = sorted(set(clinic) - {"name", "phone", "logo"})
    if unknown:
        raise ConfigError(f"unknown setting clinic.{unknown[0]} (known: name, phone, logo)", where=str(where))
    defaults = Config()
    name = _text(clinic, "name", where, defaults.clinic)
    phone = _text(clinic, "phone", where, defaults.phone)
    logo_value = clinic.get("logo", str(defaults.logo) if defaults.logo else "")
    if not isinstance(logo_value, str):
        raise ConfigError("clinic.logo must be a path in quotes, or \"\" for none", where=str(where))
    logo = None
    if logo_value:
        logo = _path(logo_value, "clinic.logo", where)
        if not logo.exists():
            raise ConfigError(f"clinic.logo: no such file {logo_value}", where=str(where))
        check_logo(logo, where=str(where))
    audio_url = check_url(data, "audio_url", where)
    paper = str(data.get("paper", "auto")).lower()
    if paper not in PAPERS:
        raise ConfigError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}", where=str(where))
    size = data.get("font_size", defaults.font_size)
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        raise ConfigError("font_size must be a number of points, such as 18", where=str(where))
    check_font_size(float(size), where=str(where))
    fonts = {}
    for script, entry in _table(data, "fonts", where).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("regular"), str):
            raise ConfigError(f"fonts.{script} needs regular = \"/path/to/font.ttf\"", where=str(where))
        unknown = sorted(set(entry) - {"regular", "bold", "index", "family"})
        if unknown:
            raise ConfigError(f"unknown setting fonts.{script}.{unknown[0]} (known: regular, bold, index)", where=str(where))
        index = entry.get("index", 0)
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise ConfigError(f"fonts.{script}.index must be a whole number (the face in a .ttc)", where=str(where))
        resolved = dict(entry)
        for key in ("regular", "bold"):  # relative to the configuration file, as the logo is
            if isinstance(entry.get(key), str):
                resolved[key] = str(_path(entry[key], f"fonts.{script}.{key}", where))
            elif key in entry:
                raise ConfigError(f"fonts.{script}.{key} must be a path in quotes", where=str(where))
        fonts[script] = resolved
    return Config(name, phone, logo, audio_url, paper, float(size), fonts, where, _headings(data, where))


def _headings(data: dict, where: Path) -> dict[str, str]:
    """[headings]: "Heading as the clinic writes it" = "section key"."""
    from .model import OTHER, SECTION_KEYS
    from .reader.headings import normal_heading

    headings = {}
    for heading, key in _table(data, "headings", where).items():
        if key not in (*SECTION_KEYS, OTHER):
            raise ConfigError(
                f"headings.{heading!r} must be one of {', '.join((*SECTION_KEYS, OTHER))}, not {key!r}", where=str(where)
            )
        if not normal_heading(heading):
            raise ConfigError(f"headings: {heading!r} is no heading (at most 60 characters of text)", where=str(where))
        headings[normal_heading(heading)] = key
    return headings


def own_headings() -> dict[str, str]:
    """The [headings] of ./leaflet.toml, for the commands that read sources without a --config option."""
    return load().headings if os.path.lexists(CONFIG_NAME) else {}


def check_logo(path: Path, *, where: str | None = None) -> None:
    """A PNG or JPEG of a sensible size that decodes whole: a text file named .png, an SVG, a 14000-pixel photo or
    a damaged picture is refused here, in one line, not deep inside the PDF writer or as a grey box on paper."""
    from .render.logo import read_logo

    read_logo(path, ConfigError, where)


def check_url(data: dict, key: str, where: Path) -> str | None:
    """An address printed as a QR code and spoken of in its alternative text: an absolute https: address with a host
    (http: is taken, with a warning from the build), of at most 300 characters, with no control, invisible format
    (a bidi override turns what a patient reads around), or white-space character, and no user name before the
    host. A javascript:, file: or data: address is refused."""
    from urllib.parse import urlsplit

    value = data.get(key) or None
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be text in quotes", where=str(where))
    if len(value) > MAX_URL:
        raise ConfigError(f"{key} is {len(value)} characters long; at most {MAX_URL}", where=str(where))
    bad = next((ch for ch in value if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn")), None)
    if bad is not None:
        raise ConfigError(f"{key} holds a control, invisible or white-space character (U+{ord(bad):04X})", where=str(where))
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port  # a port that is no number raises here
    except ValueError:
        raise ConfigError(f"{key} is not a web address", where=str(where)) from None
    if parts.scheme.lower() not in ("https", "http") or not host:
        raise ConfigError(f"{key} must be an https:// address with a host name, such as https://example.org/guides/",
                          where=str(where))
    if "@" in parts.netloc:  # "https://clinic.example@elsewhere.example/" reads as the clinic's and is not
        raise ConfigError(f"{key} must not hold a user name or password before its host (an @)", where=str(where))
    return value


def insecure_urls(config: "Config") -> list[str]:
    """The warnings about plain http: addresses (a patient's phone may be sent elsewhere on the way)."""
    if config.audio_url and config.audio_url.lower().startswith("http:"):
        return [f"{config.path or CONFIG_NAME}: audio_url is a plain http: address; use https: so that the QR code"
                " cannot be redirected on the way"]
    return []


def check_font_size(size: float, *, where: str | None = None) -> float:
    if not math.isfinite(size):
        raise ConfigError(f"the font size must be a number of points, such as 18, not {size}", where=where)
    if size < MIN_FONT_SIZE:
        raise ConfigError(
            f"a font size of {size:g} pt is too small for large print (at least {MIN_FONT_SIZE:g} pt; 18 is the default)",
            where=where,
        )
    if size > MAX_FONT_SIZE:
        raise ConfigError(
            f"a font size of {size:g} pt is too large for a leaflet page (at most {MAX_FONT_SIZE:g} pt, giant print)",
            where=where,
        )
    return size


def _path(value: str, key: str, where: Path) -> Path:
    """A path of the configuration, relative to its file; `~` is the user's home folder. A NUL, or the home of a
    user who does not exist ("~nouser/logo.png"), is refused naming the key."""
    if "\x00" in value:
        raise ConfigError(f"{key} cannot hold a NUL character", where=str(where))
    try:
        path = Path(value).expanduser()
    except RuntimeError:  # Python's words: "Could not determine home directory"
        raise ConfigError(f"{key}: no such user's home folder in {value!r}", where=str(where)) from None
    return path if path.is_absolute() else where.parent / path


def _table(data: dict, key: str, where: Path) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{key}] must be a table", where=str(where))
    return value


def _text(table: dict, key: str, where: Path, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"clinic.{key} must be text in quotes", where=str(where))
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ConfigError(f"clinic.{key} holds a control character", where=str(where))
    if len(value) > 200:
        raise ConfigError(f"clinic.{key} is {len(value)} characters long; at most 200", where=str(where))
    if (why := unprintable(value)) is not None:
        raise ConfigError(f"clinic.{key} has {why}", where=str(where))
    return value.strip()
