"""leaflet.toml: the clinic's contact, logo, audio address, paper, type size and fonts per script."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import LeafletError

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_CONFIG = ASSETS / "leaflet.toml"
CONFIG_NAME = "leaflet.toml"
MIN_FONT_SIZE = 16.0
PAPERS = ("auto", "a4", "letter")
_EXAMPLE_CLINIC = "Example Clinic"


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
        if not chosen.is_file():
            raise ConfigError("no such configuration file", where=str(chosen))
    elif Path(CONFIG_NAME).is_file():
        chosen = Path(CONFIG_NAME)
    else:
        chosen = DEFAULT_CONFIG
    try:
        data = tomllib.loads(chosen.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError("the configuration is not UTF-8 text", where=str(chosen)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", where=str(chosen)) from None
    return parse(data, chosen)


def parse(data: dict, where: Path) -> Config:
    allowed = {"clinic", "audio_url", "paper", "font_size", "fonts"}
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
        logo = Path(logo_value).expanduser()
        if not logo.is_absolute():
            logo = where.parent / logo
        if not logo.is_file():
            raise ConfigError(f"clinic.logo: no such file {logo_value}", where=str(where))
    audio_url = data.get("audio_url") or None
    if audio_url is not None and not isinstance(audio_url, str):
        raise ConfigError("audio_url must be text in quotes", where=str(where))
    paper = str(data.get("paper", "auto")).lower()
    if paper not in PAPERS:
        raise ConfigError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}", where=str(where))
    size = data.get("font_size", defaults.font_size)
    if isinstance(size, bool) or not isinstance(size, (int, float)):
        raise ConfigError("font_size must be a number of points, such as 18", where=str(where))
    check_font_size(float(size), where=str(where))
    fonts = _table(data, "fonts", where)
    for script, entry in fonts.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("regular"), str):
            raise ConfigError(f"fonts.{script} needs regular = \"/path/to/font.ttf\"", where=str(where))
    return Config(name, phone, logo, audio_url, paper, float(size), dict(fonts), where)


def check_font_size(size: float, *, where: str | None = None) -> float:
    if size < MIN_FONT_SIZE:
        raise ConfigError(
            f"a font size of {size:g} pt is too small for large print (at least {MIN_FONT_SIZE:g} pt; 18 is the default)",
            where=where,
        )
    if size > 48:
        raise ConfigError(f"a font size of {size:g} pt is too large for a leaflet page (at most 48 pt)", where=where)
    return size


def _table(data: dict, key: str, where: Path) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{key}] must be a table", where=str(where))
    return value


def _text(table: dict, key: str, where: Path, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"clinic.{key} must be text in quotes", where=str(where))
    return value.strip()
