"""Voices: one module per speech engine behind one small interface, kept in a name-keyed registry.

An engine says whether it can run here (`is_available`), which voice it would use for a locale (`voice_for`,
or an EngineError saying why there is none), and turns one sentence into 16-bit mono PCM (`synthesize`).
Everything about the guide itself (pauses, loudness, MP3, chapters) lives in render/audio.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict

from ..errors import EngineError

DEFAULT_ENGINE = "espeak"
# The patient rate in ../shared/STANDARDS.md: about 135 words a minute (120-140, 150 at most).
DEFAULT_RATE = 135
MIN_RATE, MAX_RATE = 80, 220


@dataclass(frozen=True)
class Voice:
    """The voice an engine uses for a locale."""

    engine: str
    locale: str
    name: str  # the engine's own id: "cmn", "pt-br", "tl"
    language: str  # what it speaks, in English: "Chinese (Mandarin)"
    options: tuple[tuple[str, str], ...] = ()  # engine-specific extras, e.g. (("tld", "com.br"),)

    def option(self, key: str, default: str = "") -> str:
        return dict(self.options).get(key, default)


@dataclass(frozen=True)
class Speech:
    """Synthesized sound: 16-bit signed little-endian mono samples."""

    samples: bytes
    rate: int
    digest: str = ""  # the speech cache's seal: a digest of what was said and of these samples ("" outside it)

    @property
    def seconds(self) -> float:
        return len(self.samples) / 2 / self.rate


class Engine:
    """The interface every engine module implements."""

    name: str = ""
    version: str = ""  # part of the cache key: a new engine release may sound different
    sends_text: bool = False  # True where the text leaves the machine (the user must be told)
    fixed_rate: bool = False  # True where the speaking rate cannot be set
    # True where a sentence is worth keeping on disk (a remote voice: asked once); False where speaking it again
    # costs less than keeping it (a step to make again is spoken again, sentence by sentence)
    keeps_sentences: bool = True

    def is_available(self) -> bool:
        raise NotImplementedError

    def voice_for(self, locale: str) -> Voice:
        """The voice for a locale, or EngineError saying in one line why there is none."""
        raise NotImplementedError

    def synthesize(self, text: str, voice: Voice, rate: int) -> Speech:
        """One sentence as sound. Raises EngineError (never a bare library error)."""
        raise NotImplementedError


_REGISTRY: Dict[str, Callable[..., Engine]] = {}


def register(name: str, factory: Callable[..., Engine]) -> None:
    if name in _REGISTRY:
        raise ValueError(f"a speech engine named {name!r} is already registered")
    _REGISTRY[name] = factory


def names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def get(name: str, **options) -> Engine:
    """A ready engine by name; options go to its constructor (e.g. transport= for gtts in tests)."""
    _load_builtin(name)
    factory = _REGISTRY.get(name)
    if factory is None:
        _load_builtin()
        factory = _REGISTRY.get(name)
    if factory is None:
        raise EngineError(f"no speech engine named {name!r} (known: {', '.join(sorted(_REGISTRY))})")
    return factory(**options)


def check_rate(rate: int) -> int:
    if not MIN_RATE <= rate <= MAX_RATE:
        raise EngineError(
            f"--rate must be {MIN_RATE} to {MAX_RATE} words a minute, not {rate}",
            hint=f"{DEFAULT_RATE} is the patient rate; 150 is the most older listeners follow well",
        )
    return rate


_BUILTIN = ("espeak", "gtts")  # the engines that ship with leaflet, each registered by its module


def _load_builtin(name: str | None = None) -> None:
    """Import the named built-in engine's module, or all of them (for a name that is not one, to list them).
    Imported here so that importing leaflet.speech stays cheap and has no import cycle; a module registers
    itself once, when it is first imported (a test may have imported one of them already). A build with the
    offline voice does not import the online one (requests and gTTS: 0.08 s before anything is made)."""
    from importlib import import_module

    for module in [name] if name in _BUILTIN else _BUILTIN:
        import_module(f"{__name__}.{module}")
