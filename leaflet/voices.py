"""Which voice each speech engine would use for each shipped locale, or why it has none."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

from . import speech
from .catalogs import Layout
from .errors import EngineError
from .locales import SHIPPED_LOCALES, SOURCE_LOCALE


@dataclass(frozen=True)
class VoiceRow:
    locale: str
    language: str
    voices: dict[str, str]  # engine -> "voice name" or "none: why"


def voice_table(layout: Layout, engines: list[str] | None = None) -> tuple[list[VoiceRow], list[str]]:
    names = engines or speech.names()
    loaded = [speech.get(name) for name in names]  # an unknown engine is refused here, in one line
    locales = sorted({SOURCE_LOCALE, *SHIPPED_LOCALES, *layout.locales()})
    rows = []
    for locale in locales:
        cells = {}
        for engine in loaded:
            try:
                voice = engine.voice_for(locale)
                cells[engine.name] = voice.name + (f" ({voice.option('tld')})" if voice.option("tld") not in ("", "com") else "")
            except EngineError as error:
                cells[engine.name] = f"none: {error.message}"
        rows.append(VoiceRow(locale, Locale.parse(locale).get_display_name("en"), cells))
    return rows, [engine.name for engine in loaded]
