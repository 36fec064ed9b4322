"""Synthesized sentences kept on disk, keyed by a hash of engine, engine version, voice, rate and text.

A rebuild after one changed message synthesizes that one sentence; Google is not asked again for the rest.
Entries are WAV files written atomically; a damaged one is synthesized again.
"""

from __future__ import annotations

import hashlib
import io
import os
import wave
from pathlib import Path

from ..fsutil import atomic_write
from . import Engine, Speech, Voice


def default_root() -> Path:
    if os.environ.get("LEAFLET_CACHE"):
        return Path(os.environ["LEAFLET_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "leaflet" / "speech"


class SpeechCache:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else default_root()
        self.hits = 0
        self.misses = 0

    def key(self, engine: Engine, voice: Voice, rate: int, text: str) -> str:
        # an engine that cannot set its rate sounds the same at every --rate: one entry serves them all
        parts = (engine.name, engine.version, voice.name, repr(voice.options), str(0 if engine.fixed_rate else rate), text)
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def speak(self, engine: Engine, voice: Voice, rate: int, text: str) -> Speech:
        key = self.key(engine, voice, rate, text)
        path = self.root / key[:2] / f"{key}.wav"
        cached = _read(path)
        if cached is not None:
            self.hits += 1
            return cached
        speech = engine.synthesize(text, voice, rate)
        self.misses += 1
        try:
            atomic_write(path, _wav(speech))
        except OSError:
            pass  # a read-only or full cache costs time, not the guide
        return speech


def _wav(speech: Speech) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(speech.rate)
        out.writeframes(speech.samples)
    return buffer.getvalue()


def _read(path: Path) -> Speech | None:
    try:
        with wave.open(str(path), "rb") as source:
            if source.getnchannels() != 1 or source.getsampwidth() != 2:
                return None
            frames = source.readframes(source.getnframes())
            if len(frames) != source.getnframes() * 2:
                return None
            return Speech(frames, source.getframerate())
    except (OSError, EOFError, wave.Error):
        return None
