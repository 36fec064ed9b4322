"""Locale names: BCP 47 or POSIX in, Babel's POSIX form out, and nothing that could leave a folder."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from .errors import CatalogError

SOURCE_LOCALE = "en"
_SAFE = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")


def normalize(name: str) -> str:
    """'es-MX', 'es_MX' -> 'es_MX'; 'zh-Hans' -> 'zh_Hans'; an unknown locale is refused."""
    text = name.strip()
    if not _SAFE.fullmatch(text.replace("-", "_")):
        raise CatalogError(f"unknown locale {name!r} (use a code such as es, pt-BR or zh-Hans)")
    try:
        locale = Locale.parse(text.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise CatalogError(f"unknown locale {name!r} (use a code such as es, pt-BR or zh-Hans)") from None
    result = str(locale)
    if not _SAFE.fullmatch(result):  # never a path separator or dot, whatever Babel returns
        raise CatalogError(f"unknown locale {name!r}")
    return result


def to_bcp47(locale: str) -> str:
    """'pt_BR' -> 'pt-BR', 'zh_Hans' -> 'zh-Hans'."""
    return locale.replace("_", "-")


def display_name(locale: str) -> str:
    loc = Locale.parse(locale)
    return f"{loc.get_display_name(SOURCE_LOCALE)} ({loc.get_display_name()})"
