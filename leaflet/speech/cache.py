"""Synthesized sentences kept on disk, keyed by a hash of engine, engine version, voice, rate and text.

A rebuild after one changed message synthesizes that one sentence; Google is not asked again for the rest.
Entries are FLAC files (lossless, about half the size of WAV for speech: some 25 MB for a nine-minute guide in
WAV) written atomically; a damaged one is synthesized again.
"""

from __future__ import annotations

import hashlib
import io
import os
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
        path = self.root / key[:2] / f"{key}.flac"
        cached = _read(path)
        if cached is not None:
            self.hits += 1
            return cached
        speech = engine.synthesize(text, voice, rate)
        self.misses += 1
        try:
            atomic_write(path, _flac(speech), durable=False)  # an fsync per sentence cost more than the FLAC
        except OSError:
            pass  # a read-only or full cache costs time, not the guide
        return speech


def _flac(speech: Speech) -> bytes:
    import numpy
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, numpy.frombuffer(speech.samples, dtype="<i2"), speech.rate, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def _read(path: Path) -> Speech | None:
    import soundfile

    try:
        samples, rate = soundfile.read(str(path), dtype="int16", always_2d=False)
    except (OSError, RuntimeError, soundfile.SoundFileError):
        return None  # missing or damaged: synthesize it again
    if samples.ndim != 1:
        return None
    return Speech(samples.astype("<i2").tobytes(), int(rate))
