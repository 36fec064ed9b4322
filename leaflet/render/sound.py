"""Sound for the audio guide: PCM as numpy arrays, trimming, the BS.1770-4 meters (loudness, -19 LUFS mono, and true
peak), a peak limiter, and MP3.

MP3 is encoded with lameenc at a constant bit rate, so step files join frame by frame into the whole guide; the
frame walker below reads durations from the frame headers instead of decoding.
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass

import numpy as np

TARGET_LUFS = -19.0  # mono; ../shared/STANDARDS.md
LOUDNESS_RANGE = (-24.0, -14.0)  # EBU R128's -23 for broadcast at one end, loud podcasts' -14 at the other
PEAK_CEILING_DBTP = -1.0
# MP3 encoding overshoots the peaks it was given (measured here: -1 dBFS in, about -0.3 dBFS out): limit lower.
LIMIT_DBFS = -2.5
BIT_RATE = 64  # kbit/s, mono speech
MP3_QUALITY = 5  # lameenc: 2 best .. 7 fastest; 5 measured 0.6 s for 233 s of speech here
# 64 kbit/s MP3 takes away some of the highest frequencies and with them some loudness (measured here: about
# 0.4 LU on espeak-ng speech): aim that much higher, then check on the encoded file.
MP3_LOUDNESS_LOSS = 0.4
SILENCE_DBFS = -45.0  # quieter than this is not speech when trimming a segment


def check_loudness(lufs: float) -> float:
    from ..errors import RenderError

    low, high = LOUDNESS_RANGE
    if not low <= lufs <= high:
        raise RenderError(
            f"--loudness must be {low:g} to {high:g} LUFS, not {lufs:g}",
            hint="-19 suits speech on phones and speakers; -23 is broadcast (EBU R128)",
        )
    return lufs


def from_bytes(samples: bytes) -> np.ndarray:
    """16-bit little-endian PCM -> float32 in [-1, 1)."""
    signal = np.frombuffer(samples, dtype="<i2").astype(np.float32)
    signal /= 32768.0
    return signal


def pcm16(signal: np.ndarray) -> np.ndarray:
    """float in [-1, 1) -> 16-bit little-endian PCM samples, clipped; one scratch array (scaling by 2**15 is exact,
    so scaling before clipping gives the same samples). lameenc reads the array as it is: no copy to bytes."""
    scaled = signal * 32768.0
    np.clip(scaled, -32768.0, 32767.0, out=scaled)
    return np.rint(scaled, out=scaled).astype("<i2")


def to_bytes(signal: np.ndarray) -> bytes:
    return pcm16(signal).tobytes()


def silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(quiet_samples(seconds, rate), dtype=np.float32)


def quiet_samples(seconds: float, rate: int) -> int:
    """How many samples `silence` makes of so many seconds."""
    return int(round(seconds * rate))


def resample(signal: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return signal
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(rate, target)
    return resample_poly(signal, target // g, rate // g).astype(np.float32)


def trim(signal: np.ndarray, rate: int, margin: float = 0.03) -> np.ndarray:
    """Cut the engine's own leading and trailing quiet, so that the script's pauses are the pauses heard."""
    threshold = 10 ** (SILENCE_DBFS / 20)
    first = _loud_end(signal, threshold, from_start=True)
    if first < 0:
        return signal[:0]
    last = _loud_end(signal, threshold, from_start=False)
    pad = int(margin * rate)
    return signal[max(0, first - pad) : min(signal.size, last + pad + 1)]


_TRIM_PIECE = 2048  # samples looked at a time from each end: the quiet is a few of them, the speech is not read


def _loud_end(signal: np.ndarray, threshold: float, from_start: bool) -> int:
    """The first (or last) sample louder than the threshold, -1 when none is: searched a piece at a time from
    that end, so that a sentence costs its quiet, not its length (16 times faster than the whole signal's
    comparison, on the shipped sentences)."""
    starts = range(0, signal.size, _TRIM_PIECE)
    for start in starts if from_start else reversed(starts):
        loud = np.flatnonzero(np.abs(signal[start : start + _TRIM_PIECE]) > threshold)
        if loud.size:
            return start + int(loud[0] if from_start else loud[-1])
    return -1


# ITU-R BS.1770-4 gating: 400 ms blocks every 100 ms; blocks under -70 LUFS, then those 10 LU under the mean, left out.
GATE_BLOCK = 0.4  # seconds
GATE_HOP = 0.25  # of a block (75 % overlap)
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
_SPANS_AT_ONCE = 32  # spans between block edges (100 ms each) filtered at a time: float64 without a float64 copy
# In the guide's pauses (exact zeros) the filters' state decays into subnormal numbers, which the processor works
# out many times slower (measured here: the meter took 4 times as long on a guide as on noise). A constant this far
# under any sound keeps the state normal: the high pass takes it out, so what it adds to a block is some 1e-30 of
# speech's energy, and silence still falls under the absolute gate.
_DENORMAL_GUARD = 1e-15


def loudness(signal: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4), -inf for silence: pyloudnorm's meter (its filters, block
    bounds and gates) with the block energies summed in numpy instead of one Python loop per block."""
    return Measure(signal, rate, keep_states=False).lufs


class Measure:
    """A signal's loudness, and what the meter keeps to measure the signal again after a gain and a limiter
    without filtering all of it again: the K-weighted energy between each two block edges (100 ms apart), and the
    filter's state at each edge. A limiter changes only the stretches around peaks (a few percent of speech);
    after a stretch the filter forgets the change within a few hundred samples."""

    def __init__(self, signal: np.ndarray, rate: int, keep_states: bool = True, every: int = 1):
        """`keep_states`: keep what `again()` needs (the filter's state at each edge), or only measure. `every`:
        measure every n-th sample only, at 1/n of the rate: an aim, in 1/n of the time, not the standard's figure
        (see `aim`)."""
        self.every = every
        if every > 1:
            signal, rate = signal[::every], rate // every
        self.rate = rate
        if signal.size < rate // 2:  # the meter needs at least one 400 ms block
            signal = np.concatenate([signal, np.zeros(rate // 2 - signal.size, dtype=signal.dtype)])
        self.size = signal.size
        self.starts, self.ends = _gating_blocks(signal.size, rate)
        self.edges, self.where = np.unique(np.concatenate([self.starts, self.ends]), return_inverse=True)
        self.spans, self.states = _weighted_spans(signal, rate, self.edges, keep_states)
        self.lufs = self._loudness(self.spans)

    def _loudness(self, spans: np.ndarray) -> float:
        energy = np.concatenate([[0.0], np.cumsum(spans)])[self.where]
        return _gated((energy[self.starts.size :] - energy[: self.starts.size]) / (GATE_BLOCK * self.rate))

    def again(self, changed: np.ndarray, gain: float, stretches: list[tuple[int, int]]) -> float:
        """The loudness of `changed`: the measured signal times `gain`, but for the samples inside `stretches`
        (sorted (start, end) ranges; nothing outside them differs). Only the spans touching a stretch are
        filtered again, from the state the edge before had (times the gain), and on past it until the state is
        back on the measured signal's; the same figure as measuring `changed` whole (within 1e-6 LU)."""
        if self.every > 1:
            changed = changed[:: self.every]
            stretches = [(start // self.every, -(-end // self.every)) for start, end in stretches]
        if changed.size != self.size:  # a signal under 400 ms, padded when it was measured
            return loudness(changed, self.rate)
        kernel, sos = _sosfilt(), _k_weighting(self.rate)
        spans, edges = self.spans * (gain * gain), self.edges
        span = np.searchsorted(edges, [start for start, _ in stretches], side="right") - 1
        last = len(edges) - 1
        done = 0  # the spans before this one are settled
        for first, (_, end) in zip(span, stretches):
            index = max(int(first), done)
            if index >= last:  # after the last block: not measured
                break
            state = self.states[index][np.newaxis] * gain
            while index < last:
                piece = changed[edges[index] : edges[index + 1]].astype(np.float64)
                piece += _DENORMAL_GUARD
                kernel(sos, piece[np.newaxis], state)
                spans[index] = np.dot(piece, piece)
                index += 1
                if index < last and edges[index] >= end and _settled(state[0], self.states[index] * gain):
                    break
            done = index
        return self._loudness(spans)


def _settled(state: np.ndarray, measured: np.ndarray) -> bool:
    """The filter's state is back on the measured signal's (times the gain) after a limited stretch: within a
    millionth, far under what the gain's rounding to float32 leaves in every sample anyway (the spans after it
    are then off by some 1e-8 of their energy: 1e-7 LU)."""
    return bool(np.max(np.abs(state - measured)) <= 1e-6 * np.max(np.abs(measured)) + 1e-12)


def measure(signal: np.ndarray, rate: int) -> Measure:
    return Measure(signal, rate)


def aim(signal: np.ndarray, rate: int) -> Measure:
    """The loudness to aim a gain from, in half the time of `measure`: every other sample, at half the rate. The
    speech above the half rate's top (5.5 kHz of 22.05) folds down instead of being weighed where it is; over
    the 84 steps of the shipped guides the aim was within 0.018 LU of the full meter (0.003 on average). It is
    only an aim: what a step ships with is measured at the full rate on the encoded step, and a step that misses
    is aimed again from that."""
    return Measure(signal, rate, every=2 if rate >= 16000 and rate % 2 == 0 else 1)


def _gating_blocks(size: int, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Each block's first sample and the one after its last, rounded as pyloudnorm rounds them (so the two meters
    agree on short signals too); the last block may be cut short by the end of the signal."""
    count = int(np.round((size / rate - GATE_BLOCK) / (GATE_BLOCK * GATE_HOP))) + 1
    index = np.arange(count)
    starts = (GATE_BLOCK * (index * GATE_HOP) * rate).astype(np.int64)
    ends = (GATE_BLOCK * (index * GATE_HOP + 1) * rate).astype(np.int64)
    return np.minimum(starts, size), np.minimum(ends, size)


def _weighted_spans(signal: np.ndarray, rate: int, edges: np.ndarray,
                    keep_states: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """The sum of the squared K-weighted samples between each two edges (sorted, distinct, the first 0), and
    (with `keep_states`) the filter's state at each edge before the last. The signal is filtered in float64 a
    few spans at a time (no float64 copy of it all), the filter's state carried on as in one pass; nothing after
    the last edge is filtered."""
    kernel = _sosfilt()
    sos = _k_weighting(rate)
    state = np.zeros((1, sos.shape[0], 2))
    spans = np.empty(edges.size - 1)
    states = np.empty((edges.size - 1, sos.shape[0], 2)) if keep_states else None
    for first in range(0, spans.size, _SPANS_AT_ONCE):
        bounds = edges[first : first + _SPANS_AT_ONCE + 1]
        chunk = signal[bounds[0] : bounds[-1]].astype(np.float64)
        chunk += _DENORMAL_GUARD
        starts = bounds - bounds[0]
        if states is None:
            kernel(sos, chunk[np.newaxis], state)  # in place, the state carried on
        else:
            for index in range(bounds.size - 1):  # one span at a time, to keep the state at each edge
                states[first + index] = state[0]
                kernel(sos, chunk[np.newaxis, starts[index] : starts[index + 1]], state)
        np.square(chunk, out=chunk)
        spans[first : first + bounds.size - 1] = np.add.reduceat(chunk, starts[:-1])
    return spans, states


@functools.lru_cache(maxsize=1)
def _sosfilt():
    """scipy's compiled second-order-sections filter, as `kernel(sos, x, zi)`: float64, C-ordered, `x` of shape
    (1, n) filtered in place and `zi` of shape (1, sections, 2) carried on in place.

    `from scipy.signal import sosfilt` imports all of scipy.signal, scipy.stats with it: 0.65 to 0.9 s in every
    worker process of a build (measured here), more than the meter's own work on a whole guide. The compiled
    kernel that sosfilt calls loads by itself in under a millisecond. It is checked once against the filter's
    difference equation on a short signal; where it cannot be found or disagrees (another scipy), sosfilt
    itself does the work."""
    try:
        kernel = _scipy_extension("signal", "_sosfilt")._sosfilt
        if _kernel_agrees(kernel):
            return kernel
    except Exception:  # any failure of a private module means: use the public function
        pass
    from scipy.signal import sosfilt

    def public(sos: np.ndarray, x: np.ndarray, zi: np.ndarray) -> None:
        filtered, state = sosfilt(sos, x, axis=-1, zi=zi.transpose(1, 0, 2))  # sosfilt's zi: (sections, 1, 2)
        x[...] = filtered
        zi[...] = state.transpose(1, 0, 2)

    return public


def _scipy_extension(package: str, name: str):
    """A compiled module of a scipy subpackage, loaded from its file without running the subpackage's
    __init__ (which imports the whole subpackage)."""
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    import scipy

    folder = Path(scipy.__file__).parent / package
    path = next(folder / (name + suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES
                if (folder / (name + suffix)).is_file())
    spec = importlib.util.spec_from_file_location(f"scipy.{package}.{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kernel_agrees(kernel) -> bool:
    """The kernel's output and state against the difference equation worked out in Python, on 64 samples
    through two sections with a state to start from."""
    sos = np.array([[0.5, -0.3, 0.2, 1.0, -0.6, 0.25], [1.0, 0.4, -0.1, 1.0, 0.3, 0.1]])
    x = np.sin(np.arange(64) * 0.7)
    zi = np.array([[[0.1, -0.2], [0.05, 0.3]]])
    y, state = x[np.newaxis].copy(), zi.copy()
    kernel(sos, y, state)
    expected, z = x.copy(), zi[0].copy()
    for section, (b0, b1, b2, _, a1, a2) in enumerate(sos):  # transposed direct form II, as sosfilt runs it
        for n, value in enumerate(expected):
            out = b0 * value + z[section, 0]
            z[section, 0] = b1 * value - a1 * out + z[section, 1]
            z[section, 1] = b2 * value - a2 * out
            expected[n] = out
    close = functools.partial(np.allclose, rtol=1e-12, atol=1e-12)
    return bool(close(y[0], expected) and close(state[0], z))


def _gated(power: np.ndarray) -> float:
    """BS.1770-4's two gates over the blocks' mean squares, then the loudness of the mean of what passed."""
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10 * np.log10(power)
        loud = power[block_lufs >= ABSOLUTE_GATE]
        if loud.size == 0:
            return float("-inf")
        relative = -0.691 + 10 * np.log10(loud.mean()) + RELATIVE_GATE
        kept = power[(block_lufs > relative) & (block_lufs > ABSOLUTE_GATE)]
        return float(-0.691 + 10 * np.log10(kept.mean())) if kept.size else float("-inf")


@functools.lru_cache(maxsize=4)
def _k_weighting(rate: int) -> np.ndarray:
    """BS.1770's K-weighting for any rate as two biquads (second-order sections), designed as pyloudnorm designs
    them: a +4 dB high shelf from 1.5 kHz for the head, then a 38 Hz high pass."""
    sections = np.array([_high_shelf(4.0, 1 / np.sqrt(2), 1500.0, rate), _high_pass(0.5, 38.0, rate)])
    return sections / sections[:, 3:4]  # a0 = 1, as sosfilt wants


def _high_shelf(gain_db: float, q: float, frequency: float, rate: int) -> list[float]:
    """The RBJ audio EQ cookbook's high shelf: b0, b1, b2, a0, a1, a2."""
    a, w = 10 ** (gain_db / 40), 2 * np.pi * frequency / rate
    cos, root = np.cos(w), 2 * np.sqrt(a) * np.sin(w) / (2 * q)
    return [a * ((a + 1) + (a - 1) * cos + root), -2 * a * ((a - 1) + (a + 1) * cos),
            a * ((a + 1) + (a - 1) * cos - root), (a + 1) - (a - 1) * cos + root, 2 * ((a - 1) - (a + 1) * cos),
            (a + 1) - (a - 1) * cos - root]


def _high_pass(q: float, frequency: float, rate: int) -> list[float]:
    """The RBJ audio EQ cookbook's high pass: b0, b1, b2, a0, a1, a2."""
    w = 2 * np.pi * frequency / rate
    cos, alpha = np.cos(w), np.sin(w) / (2 * q)
    return [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha]


def true_peak(signal: np.ndarray, rate: int) -> float:
    """True peak in dBTP (BS.1770-4, Annex 2): the peak of the signal oversampled 4 times, -120 for silence.
    A value between samples is a sum over the 20 samples around it, so it is at most `bound` (a phase's largest
    sum of absolute taps) times the loudest of them: it can beat the sample peak only near samples within that
    factor of it, and only there is it computed (a few percent of speech). The answer is that of oversampling
    everything."""
    if signal.size == 0:
        return -120.0
    loudest = float(max(signal.max(), -signal.min()))
    if loudest == 0:
        return -120.0
    taps = _oversampling_phases()
    bound = float(np.abs(taps).sum(axis=0).max()) * 1.001  # the margin covers float32 rounding
    positions = _near_peaks(signal, loudest / bound, taps.shape[0])
    return 20 * np.log10(max(loudest, _interpolated_peak(signal, positions, taps)))


def _near_peaks(signal: np.ndarray, threshold: float, width: int) -> np.ndarray:
    """The samples n whose window (n - width/2 + 1 .. n + width/2, which gives the values between n and n + 1)
    holds a sample beyond the threshold (one byte-sized mask at a time, not a float copy of the signal)."""
    marked = np.zeros(signal.size + width, dtype=bool)
    for loud in (np.flatnonzero(signal > threshold), np.flatnonzero(signal < -threshold)):
        for offset in range(width):
            marked[loud + offset] = True
    return np.flatnonzero(marked[width // 2 : width // 2 + signal.size])


def _interpolated_peak(signal: np.ndarray, positions: np.ndarray, taps: np.ndarray) -> float:
    """The largest magnitude among the three values between each sample at `positions` and the next, as if the
    signal went on in silence at both ends. A batch of windows at a time, one row per tap, summed by einsum's own
    loops (half the time of summing row by row here): a matrix product this thin waits on OpenBLAS's threads (25
    times slower than the sums, measured on busy cores)."""
    offsets = np.arange(1 - taps.shape[0] // 2, taps.shape[0] // 2 + 1)[:, None]
    peak = 0.0
    for first in range(0, positions.size, 1 << 14):
        batch = positions[first : first + (1 << 14)]
        index = offsets + batch
        windows = np.take(signal, index, mode="clip")
        if batch[0] + offsets[0, 0] < 0 or batch[-1] + offsets[-1, 0] >= signal.size:  # only at the ends
            windows[(index < 0) | (index >= signal.size)] = 0
        values = np.einsum("kp,kn->pn", taps, windows, optimize=False)
        peak = max(peak, float(max(values.max(), -values.min())))
    return peak


@functools.lru_cache(maxsize=1)
def _oversampling_phases() -> np.ndarray:
    """The 81-tap Kaiser-windowed sinc that resample_poly designs for 4x, 20 taps a phase (Annex 2's 12 a phase
    read hard-clipped speech 0.1 dB low). Its phase 0 is the samples themselves, so the columns are phases 1-3,
    each scaled to pass a constant unchanged; rows are in signal order (the window's first sample first)."""
    count = 4 * 20 + 1
    offsets = np.arange(count) - (count - 1) / 2
    taps = np.sinc(offsets / 4) * np.kaiser(count, 5.0)  # scipy's firwin(81, 1 / 4, window=("kaiser", 5.0)), unscaled
    phases = np.stack([taps[phase::4][:20] for phase in (1, 2, 3)], axis=1)[::-1]
    return (phases / phases.sum(axis=0)).astype(np.float32)


def limit_in_place(signal: np.ndarray, rate: int, ceiling_db: float) -> int:
    """A look-ahead peak limiter: the gain dips smoothly around every peak above the ceiling, never elsewhere.
    The gain is worked out only over the stretches around those peaks (elsewhere it is exactly 1); returns how
    many samples it changed."""
    return _limit(signal, rate, ceiling_db)[0]


def _limit(signal: np.ndarray, rate: int, ceiling_db: float) -> tuple[int, list[tuple[int, int]]]:
    """limit_in_place's work: how many samples changed, and the stretches (start, end) they lie in."""
    ceiling = 10 ** (ceiling_db / 20)
    over = np.union1d(np.flatnonzero(signal > ceiling), np.flatnonzero(signal < -ceiling))
    if over.size == 0:
        return 0, []
    window = max(3, int(0.005 * rate)) | 1  # 5 ms: short enough to leave syllables alone
    changed = 0
    stretches = _stretches(over, 2 * (window + window // 2), signal.size)
    for group in _groups(stretches):
        # the stretches of a group filtered end to end as one: each starts and ends with more quiet (gain 1)
        # than the filters reach, so what one stretch's ends see of the next is what they see of themselves
        joined = np.concatenate([signal[start:end] for start, end in group])
        limited = joined * _limiter_gain(joined, ceiling, window)
        changed += np.count_nonzero(limited != joined)
        offset = 0
        for start, end in group:
            signal[start:end] = limited[offset : offset + end - start]
            offset += end - start
    return changed, stretches


_GROUP = 1 << 16  # samples of stretches limited at once: one pass of numpy per group, not per stretch


def _groups(stretches: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    groups: list[list[tuple[int, int]]] = []
    size = _GROUP
    for start, end in stretches:
        if size >= _GROUP:
            groups.append([])
            size = 0
        groups[-1].append((start, end))
        size += end - start
    return groups


def _stretches(over: np.ndarray, pad: int, size: int) -> list[tuple[int, int]]:
    """Runs of peaks, each widened by `pad` (twice the gain's reach) on both sides so that its ends hold only quiet
    samples and filter as they would within the whole signal; runs that would overlap are merged."""
    breaks = np.flatnonzero(np.diff(over) > 2 * pad)
    firsts, lasts = over[np.r_[0, breaks + 1]], over[np.r_[breaks, over.size - 1]]
    return [(max(0, int(first) - pad), min(size, int(last) + pad + 1)) for first, last in zip(firsts, lasts)]


def _limiter_gain(stretch: np.ndarray, ceiling: float, window: int) -> np.ndarray:
    """The minimum of the gain each sample wants over twice the window, then a mean over the window: smooth, and
    at or below what every sample wants."""
    wanted = np.minimum(1.0, ceiling / np.maximum(np.abs(stretch), 1e-9))
    return _running_mean(_running_min(wanted, 2 * window + 1), window).astype(wanted.dtype)


# The limiter's two filters are scipy.ndimage's minimum_filter1d and uniform_filter1d (odd sizes, centred, the ends
# mirrored as its "reflect" mode mirrors them) in numpy: importing scipy.ndimage took 0.16 s in every worker.


def _running_min(values: np.ndarray, size: int) -> np.ndarray:
    """The minimum over the `size` values centred on each (size odd), in a few passes whatever the size: each
    window is the tail of one block of `size` values and the head of the next (van Herk, Gil and Werman)."""
    padded = np.pad(values, size // 2, mode="symmetric")
    blocks = np.pad(padded, (0, -padded.size % size), constant_values=np.inf).reshape(-1, size)
    heads = np.minimum.accumulate(blocks, axis=1).ravel()
    tails = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(tails[: values.size], heads[size - 1 : size - 1 + values.size])


def _running_mean(values: np.ndarray, size: int) -> np.ndarray:
    """The mean of the `size` values centred on each (size odd), summed in float64."""
    padded = np.pad(values.astype(np.float64), size // 2, mode="symmetric")
    sums = np.concatenate([[0.0], np.cumsum(padded)])
    return (sums[size:] - sums[:-size]) / size


def normalize(signal: np.ndarray, rate: int, target: float = TARGET_LUFS, ceiling_db: float = LIMIT_DBFS,
              measured: float | Measure | None = None) -> np.ndarray:
    """Gain to the target loudness, peaks limited under the ceiling; the limiter's small loss is made up once
    (measured again only when the limiter touched more than a trace of the signal). `measured` is the signal's
    loudness, where the caller has it already; given as its Measure, the limiter's loss is measured on the
    stretches the limiter changed only (a tenth of the time)."""
    meter = measured if isinstance(measured, Measure) else None
    lufs = meter.lufs if meter is not None else loudness(signal, rate) if measured is None else measured
    if not np.isfinite(lufs):
        return signal  # silence: nothing to normalize
    gain = np.float32(10 ** ((target - lufs) / 20))
    out = signal * gain
    changed, stretches = _limit(out, rate, ceiling_db)
    if changed < 0.001 * out.size:
        return out
    after = meter.again(out, float(gain), stretches) if meter is not None else loudness(out, rate)
    if np.isfinite(after) and abs(after - target) >= 0.1:
        out *= np.float32(10 ** ((target - after) / 20))
        limit_in_place(out, rate, ceiling_db)
    return out


_ENCODE_PIECE = 1 << 18  # samples turned into 16-bit PCM and given to LAME at a time


def encode_mp3(signal: np.ndarray, rate: int) -> bytes:
    """A piece at a time: the 16-bit copy of a long step is not made whole (1.5 times the step's samples, in a
    20-minute step 160 MB); LAME buffers across calls, so the frames are the same bytes as from one call."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(MP3_QUALITY)
    frames = bytearray()
    for start in range(0, signal.size, _ENCODE_PIECE):
        frames += encoder.encode(pcm16(signal[start : start + _ENCODE_PIECE]))
    frames += encoder.flush()
    return bytes(frames)


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    """MP3 -> float32 mono samples and rate (libsndfile's MPEG decoder through soundfile). Where the system has
    memory files (Linux), libsndfile reads the bytes from one by itself: from a Python file object it calls back
    into Python for every piece, 12 % of the time of decoding a step."""
    import soundfile

    if not hasattr(os, "memfd_create"):
        signal, rate = soundfile.read(io.BytesIO(data), dtype="float32")
    else:
        fd = os.memfd_create("leaflet-step.mp3")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.lseek(fd, 0, os.SEEK_SET)
            with soundfile.SoundFile(fd, closefd=False) as sound:
                signal, rate = sound.read(dtype="float32"), sound.samplerate
        finally:
            os.close(fd)
    return (signal if signal.ndim == 1 else signal.mean(axis=1)), int(rate)


@dataclass(frozen=True)
class Frames:
    """The MPEG audio frames of a stream: how many, and how many samples each decodes to."""

    count: int
    samples_per_frame: int
    rate: int

    @property
    def seconds(self) -> float:
        return self.count * self.samples_per_frame / self.rate


_BITRATES = {  # kbit/s by MPEG version for layer III: 1 = MPEG-1, 2 = MPEG-2 and 2.5
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frames(data: bytes) -> Frames:
    """Walk the frame headers of a layer III stream with no ID3 tag in front (what lameenc writes). A stream has
    only a few distinct headers (a constant bit rate: with and without padding): each is read once."""
    offset = count = 0
    samples = rate = 0
    known: dict[bytes, tuple[int, int, int]] = {}
    while offset + 4 <= len(data):
        raw = data[offset : offset + 4]
        frame = known.get(raw)
        if frame is None:
            frame = known[raw] = _frame_header(raw, offset)
        size, samples, rate = frame
        offset += size
        count += 1
    return Frames(count, samples, rate)


def _frame_header(raw: bytes, offset: int) -> tuple[int, int, int]:
    """A layer III frame header: (the frame's size in bytes, samples it decodes to, sample rate)."""
    header = int.from_bytes(raw, "big")
    version, layer = (header >> 19) & 3, (header >> 17) & 3
    if header >> 21 != 0x7FF or version == 1 or layer != 1 or (header >> 10) & 3 == 3 or (header >> 12) & 15 in (0, 15):
        raise ValueError(f"not an MPEG layer III frame at byte {offset}")
    rate = _RATES[version][(header >> 10) & 3]
    bitrate = _BITRATES[1 if version == 3 else 2][(header >> 12) & 15] * 1000
    samples = 1152 if version == 3 else 576
    return samples // 8 * bitrate // rate + ((header >> 9) & 1), samples, rate
