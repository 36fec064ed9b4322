"""Synthesized sentences kept on disk, keyed by a hash of engine, engine version, voice, rate and text.

Only an engine whose sentences are worth keeping has them kept: Google's (a rebuild after one changed message asks
Google for that one sentence, not again for the rest). espeak-ng's are not: it speaks a sentence faster than keeping
it costs, and the step cache keeps the steps a rebuild reuses. Entries are FLAC files (lossless, about half the size
of WAV for speech: some 25 MB for a nine-minute guide in WAV) written atomically. Each carries a seal in its
comment: a digest of its key and its samples. An entry that does not decode, or whose samples are not the ones
sealed for its key (a damaged file, another sentence's file copied over it), is synthesized again and replaced: a
patient never hears the wrong sentence.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import replace
from pathlib import Path

from ..fsutil import atomic_write
from . import Engine, Speech, Voice

_SEAL = "leaflet sha256 "


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
        """The sentence from the cache, or spoken (and kept, for an engine whose sentences are worth keeping)."""
        if not engine.keeps_sentences:
            self.misses += 1
            return engine.synthesize(text, voice, rate)
        key = self.key(engine, voice, rate, text)
        path = self.root / key[:2] / f"{key}.flac"
        cached = _read(path, key)
        if cached is not None:
            self.hits += 1
            return cached
        speech = engine.synthesize(text, voice, rate)
        self.misses += 1
        speech = replace(speech, digest=_seal(key, speech.samples))
        try:
            atomic_write(path, _flac(speech), durable=False)  # an fsync per sentence cost more than the FLAC
        except OSError:
            pass  # a read-only or full cache costs time, not the guide
        return speech


def _seal(key: str, samples: bytes) -> str:
    return _SEAL + hashlib.sha256(key.encode("ascii") + b"\0" + samples).hexdigest()


def _flac(speech: Speech) -> bytes:
    """The entry: FLAC at its fastest level (0: the files are 6 % larger than at the default 5, and written in
    a sixth less time), the seal in its comment."""
    import numpy
    import soundfile

    buffer = io.BytesIO()
    with soundfile.SoundFile(buffer, "w", speech.rate, 1, "PCM_16", format="FLAC", compression_level=0.0) as sound:
        sound.comment = speech.digest  # written with the header, before the samples
        sound.write(numpy.frombuffer(speech.samples, dtype="<i2"))
    return buffer.getvalue()


def _read(path: Path, key: str) -> Speech | None:
    """The entry's sound, or None when it is missing, damaged or not sealed for this key (an entry written
    before entries were sealed is made again once)."""
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as sound:
            seal = sound.comment
            samples = sound.read(dtype="int16", always_2d=False)
            rate = sound.samplerate
    except (OSError, RuntimeError, soundfile.SoundFileError):
        return None
    if samples.ndim != 1:
        return None
    data = samples.astype("<i2").tobytes()
    if seal != _seal(key, data):
        return None
    return Speech(data, int(rate), seal)
