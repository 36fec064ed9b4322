"""Synthesized sentences kept on disk, keyed by a hash of engine, engine version, voice, rate and text.

Only an engine whose sentences are worth keeping has them kept: Google's (a rebuild after one changed message asks
Google for that one sentence, not again for the rest). espeak-ng's are not: it speaks a sentence faster than keeping
it costs, and the step cache keeps the steps a rebuild reuses. Entries are FLAC files (lossless, about half the size
of WAV for speech: some 25 MB for a nine-minute guide in WAV) written atomically. Each carries a seal in its
comment, made with the cache's secret (`seal.py`) over its key, its sample rate and its samples. An entry that is
not a regular file, does not decode, or whose samples are not the ones sealed for its key (a damaged file, another
sentence's file copied over it, one sealed by someone without the secret) is synthesized again and replaced: a
patient never hears the wrong sentence.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import replace
from pathlib import Path

from ..errors import LeafletError
from ..fsutil import read_limited
from ..seal import Seal, keep, open_cache
from . import Engine, Speech, Voice

_SEAL = "leaflet hmac-sha256 "
ENTRY_LIMIT = 16 * 2**20  # bytes: a FLAC sentence of some ten minutes
_MOST_SAMPLES = 10 * 60 * 48000  # what an entry of that size may decode to: never an array that fills the memory


def default_root() -> Path:
    if os.environ.get("LEAFLET_CACHE"):
        return Path(os.environ["LEAFLET_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "leaflet" / "speech"


class SpeechCache:
    """`seal`: the cache's, opened once by the build; without it, the cache is opened on first use."""

    def __init__(self, root: Path | None = None, seal: Seal | None = None):
        self.root = Path(root) if root is not None else default_root()
        self.hits = 0
        self.misses = 0
        self._seal = seal

    @property
    def seal(self) -> Seal:
        if self._seal is None:
            self._seal = open_cache(self.root)
        return self._seal

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
        cached = _read(path, key, self.seal)
        if cached is not None:
            self.hits += 1
            return cached
        speech = engine.synthesize(text, voice, rate)
        self.misses += 1
        speech = replace(speech, digest=_seal(self.seal, key, speech.rate, speech.samples))
        keep(path, _flac(speech))  # a read-only or full cache costs time, not the guide
        return speech


def _seal(seal: Seal, key: str, rate: int, samples: bytes) -> str:
    return _SEAL + seal.of("speech", key, _rate(rate), samples).decode("ascii")


def _rate(rate: int) -> bytes:
    return str(rate).encode("ascii")


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


def _read(path: Path, key: str, seal: Seal) -> Speech | None:
    """The entry's sound, or None when it is missing, not a regular file (a pipe is not waited on, a link not
    followed), too large, damaged or not sealed for this key with this cache's secret (an entry sealed before
    the secret, or by someone without it, is made again)."""
    import soundfile

    try:
        data = read_limited(path, ENTRY_LIMIT, "speech cache entry", follow=False)
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            if sound.frames > _MOST_SAMPLES:
                return None
            comment = sound.comment
            samples = sound.read(dtype="int16", always_2d=False)
            rate = int(sound.samplerate)
    except (LeafletError, RuntimeError, soundfile.SoundFileError):
        return None
    if samples.ndim != 1:
        return None
    data = samples.astype("<i2").tobytes()
    if not (comment.startswith(_SEAL) and seal.verifies(comment.removeprefix(_SEAL), "speech", key, _rate(rate), data)):
        return None
    return Speech(data, rate, comment)
