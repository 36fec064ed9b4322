"""One step of an audio guide made ready on its own, and kept: normalized, limited, encoded and checked on the
encoded step; a step made ready before from the same sentences, voices and pauses is read back from disk instead,
and none of its sentences is spoken.

Each step meets the loudness rules by itself (a patient may play one step file alone from the playlist), so a
step that did not change is not made again when another one did: a rebuild after one changed message speaks and
encodes only its step. Entries are keyed by the step's recipe, what it is made of (each sentence by its speech
key: engine, engine version, voice, speaking rate and text; the quiet around each), and by everything that turns
it into MP3 (the target, the chain's constants, the encoder's version, leaflet's own source). An entry keeps the
step's frames, its measurements, its sample rate and the length of each sentence in it (the transcript's cue
times come from the entry, so they always fit the sound served), under a seal made with the cache's secret
(`seal.py`) over its key and all of that. An entry that is not a regular file, too large, damaged, cut short,
empty or not sealed for its key with that secret (another step's entry copied over it, one re-sealed by someone
without the secret) is made again and replaced, never served: a patient never hears the wrong step.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import LeafletError, RenderError
from ..fsutil import read_limited
from ..seal import STEPS, Seal, keep
from . import sound

PEAK_MARGIN = 0.2  # dB kept below the -1 dBTP ceiling on the encoded file
ROUNDS = 4  # aims at the target; one is nearly always enough
_SEAL = b"leaflet step hmac-sha256 "
ENTRY_LIMIT = 32 * 2**20  # bytes: a step of over an hour at 64 kbit/s


@dataclass(frozen=True)
class ReadyStep:
    """A step as it is shipped: its MPEG frames (no ID3 tag), and the loudness and true peak of those frames
    decoded, as a player will hear them; also its sample rate and the length in samples of each of its sentences
    (0 for one with nothing to say)."""

    frames: bytes
    lufs: float
    true_peak: float
    rate: int = 0
    lengths: tuple[int, ...] = ()


def make_ready(signal: np.ndarray, rate: int, loudness: float, lengths: tuple[int, ...] = ()) -> ReadyStep:
    """Normalize, limit and encode the step, then check loudness and true peak on the encoded step: the encoder
    moves both a little, so aim again from what the encoded step measured (a round is rarely needed); a step
    still off either mark after the last round is refused, never shipped. The step itself is measured once, at
    half the rate (an aim: the encoded step is measured in full); a round changes only the aim. `lengths` (of its
    sentences, in samples) go with the step, for its cue times."""
    target, ceiling = loudness + sound.MP3_LOUDNESS_LOSS, sound.LIMIT_DBFS
    measured = sound.aim(signal, rate)
    for _ in range(ROUNDS):
        frames = sound.encode_mp3(sound.normalize(signal, rate, target, ceiling, measured), rate)
        decoded, _ = sound.decode_mp3(frames)
        lufs, peak = sound.loudness(decoded, rate), sound.true_peak(decoded, rate)
        if abs(lufs - loudness) <= 0.5 and peak <= sound.PEAK_CEILING_DBTP:
            break
        target += loudness - lufs
        if peak > sound.PEAK_CEILING_DBTP:
            ceiling -= peak - sound.PEAK_CEILING_DBTP + PEAK_MARGIN
    if peak > sound.PEAK_CEILING_DBTP:
        raise RenderError(f"a step's peaks stay at {peak:.1f} dBTP after limiting (at most -1 allowed)")
    if abs(lufs - loudness) > 0.5:  # a step whose loudness comes from its peaks alone: the limiter holds it down
        raise RenderError(f"a step stays at {lufs:.1f} LUFS after {ROUNDS} rounds (at most 0.5 LU from {loudness:g})")
    return ReadyStep(frames, float(lufs), float(peak), rate, tuple(lengths))


def default_root(speech_root: Path) -> Path:
    """Beside the speech cache, as the leaflet template's copy is kept."""
    return Path(speech_root).parent / STEPS


class StepCache:
    """Ready steps on disk under `root`, with how many were read back (hits) and made (misses). Safe to use from
    several threads at once: the steps of a guide are made side by side. `seal`: the cache's (`seal.open_cache`),
    opened once by the build."""

    def __init__(self, root: Path, seal: Seal):
        self.root = Path(root)
        self.seal = seal
        self.hits = 0
        self.misses = 0
        # the counters, and the writes: fsutil counts the atomic writes under way in a global (so that a signal
        # ends the process only between writes), which threads writing at once could miscount
        self._lock = threading.Lock()

    def key(self, loudness: float, recipe: str) -> str:
        """A digest of the chain and of the step's recipe (what it is made of: no sample is read for it)."""
        return hashlib.sha256(_chain(loudness).encode("utf-8") + b"\0recipe\0" + recipe.encode("utf-8")).hexdigest()

    def kept(self, loudness: float, recipe: str) -> ReadyStep | None:
        """The step made ready before from this recipe, or None (not counted: the caller may still make it)."""
        key = self.key(loudness, recipe)
        return _read(self.root / key[:2] / f"{key}.mp3step", key, self.seal)

    def make(self, signal: np.ndarray, rate: int, loudness: float, recipe: str, lengths: tuple[int, ...]) -> ReadyStep:
        """Make the step ready and keep it (a cache that cannot be written costs time, not the guide)."""
        key = self.key(loudness, recipe)
        step = make_ready(signal, rate, loudness, lengths)
        entry = _entry(self.seal, key, step)
        with self._lock:
            keep(self.root / key[:2] / f"{key}.mp3step", entry)
        return step

    def count(self, hits: int, misses: int) -> None:
        """Steps read back and steps made, once a guide's are known (a kept step at another rate is made)."""
        with self._lock:
            self.hits += hits
            self.misses += misses


def _chain(loudness: float) -> str:
    """Everything besides the recipe that decides a ready step's bytes."""
    from ..inputs import code

    return " ".join(map(repr, (
        float(loudness), sound.BIT_RATE, sound.MP3_QUALITY, sound.LIMIT_DBFS, sound.MP3_LOUDNESS_LOSS,
        sound.PEAK_CEILING_DBTP, PEAK_MARGIN, ROUNDS, _encoder(), code(),
    )))


@lru_cache(maxsize=1)
def _encoder() -> str:
    """lameenc's version: another LAME may write other frames for the same samples."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"lameenc {version('lameenc')}"
    except PackageNotFoundError:
        return "lameenc ?"


def _measurements(step: ReadyStep) -> bytes:
    lengths = ",".join(map(str, step.lengths))
    return f"{step.lufs!r} {step.true_peak!r} {step.rate} {lengths}".encode("ascii")


def _entry(seal: Seal, key: str, step: ReadyStep) -> bytes:
    """One line (the seal, then the measurements), then the frames."""
    measurements = _measurements(step)
    return _SEAL + seal.of("step", key, measurements, step.frames) + b" " + measurements + b"\n" + step.frames


def _read(path: Path, key: str, seal: Seal) -> ReadyStep | None:
    """The entry's step, or None when it is missing, not a regular file (a pipe is not waited on, a link not
    followed), too large, damaged or not sealed for this key with this cache's secret."""
    try:
        head, newline, frames = read_limited(path, ENTRY_LIMIT, "step cache entry", follow=False).partition(b"\n")
    except LeafletError:
        return None
    mark, _, measurements = head.removeprefix(_SEAL).partition(b" ")
    if not (newline and frames and head.startswith(_SEAL) and seal.verifies(mark, "step", key, measurements, frames)):
        return None
    try:
        lufs, peak, rate, lengths = measurements.split(b" ")
        step = ReadyStep(frames, float(lufs), float(peak), int(rate), tuple(map(int, filter(None, lengths.split(b",")))))
    except ValueError:
        return None
    return step if step.rate > 0 and min(step.lengths, default=0) >= 0 else None
