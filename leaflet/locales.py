"""Locale names: BCP 47 or POSIX in, Babel's POSIX form out, and nothing that could leave a folder."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from .errors import CatalogError

SOURCE_LOCALE = "en"
# The languages leaflet ships catalogs for (a US clinic's usual set); `leaflet voices` lists these.
SHIPPED_LOCALES = ("es", "zh_Hans", "vi", "fil", "ko", "ru", "ar", "fr", "pt_BR", "hi", "ht", "pl")
# POSIX locale names may carry a code set and a modifier: "es_MX.UTF-8", "ca_ES@valencia".
_POSIX_SUFFIX = re.compile(r"(?:\.[A-Za-z0-9_-]*)?(?:@(?P<modifier>[A-Za-z0-9_-]*))?$")
# POSIX modifiers that name a script ("sr_RS@latin"): they become the script subtag; "@euro" names a
# currency and is dropped; any other ("ca_ES@valencia") is a variant.
_SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva", "arabic": "Arab", "hant": "Hant", "hans": "Hans"}
_IGNORED_MODIFIERS = {"", "euro"}
# Codes that name no language: "und" (undetermined), "mul", "zxx", "mis", and the C/POSIX locale.
_NOT_A_LANGUAGE = {"und", "mul", "zxx", "mis", "c", "posix"}
_SAFE = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")


def normalize(name: str) -> str:
    """'es-MX', 'es_MX', 'es_MX.UTF-8' -> 'es_MX'; 'zh-Hans' -> 'zh_Hans'; 'tl' -> 'fil'; an unknown locale is refused."""
    stripped = name.strip()
    suffix = _POSIX_SUFFIX.search(stripped)
    text = stripped[: suffix.start()].replace("-", "_")
    modifier = (suffix.group("modifier") or "").lower()
    if modifier in _SCRIPT_MODIFIERS:
        language, _, territory = text.partition("_")
        text = "_".join(filter(None, (language, _SCRIPT_MODIFIERS[modifier], territory)))
    elif modifier not in _IGNORED_MODIFIERS:
        text = f"{text}_{modifier.upper()}"
    if not _SAFE.fullmatch(text) or text.split("_")[0].lower() in _NOT_A_LANGUAGE:
        raise CatalogError(f"unknown locale {name!r} (use a code such as es, pt-BR or zh-Hans)")
    try:
        locale = Locale.parse(text)
    except (UnknownLocaleError, ValueError):
        raise CatalogError(f"unknown locale {name!r} (use a code such as es, pt-BR or zh-Hans)") from None
    if "_" not in text and locale.territory:
        # An alias ("tl" -> "fil_PH") must not pin a country the user did not ask for.
        locale = Locale(locale.language, script=locale.script)
    if modifier in _SCRIPT_MODIFIERS and locale.script != _SCRIPT_MODIFIERS[modifier]:
        raise CatalogError(f"unknown locale {name!r} (no {_SCRIPT_MODIFIERS[modifier]} script for this language)")
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
