"""Sound for the audio guide: PCM as numpy arrays, trimming, loudness (-19 LUFS mono), a peak limiter, and MP3.

MP3 is encoded with lameenc at a constant bit rate, so step files join frame by frame into the whole guide; the
frame walker below reads durations from the frame headers instead of decoding.
"""

from __future__ import annotations

import functools
import io
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
    return np.frombuffer(samples, dtype="<i2").astype(np.float32) / 32768.0


def to_bytes(signal: np.ndarray) -> bytes:
    return (np.clip(signal, -1.0, 32767 / 32768) * 32768.0).round().astype("<i2").tobytes()


def silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(int(round(seconds * rate)), dtype=np.float32)


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
    loud = np.flatnonzero(np.abs(signal) > threshold)
    if loud.size == 0:
        return signal[:0]
    pad = int(margin * rate)
    return signal[max(0, loud[0] - pad) : min(signal.size, loud[-1] + pad + 1)]


def loudness(signal: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4 through pyloudnorm)."""
    import pyloudnorm

    if signal.size < rate // 2:  # the meter needs at least one 400 ms block
        signal = np.concatenate([signal, np.zeros(rate // 2 - signal.size, dtype=signal.dtype)])
    return float(pyloudnorm.Meter(rate).integrated_loudness(signal.astype(np.float64)))


def true_peak(signal: np.ndarray, rate: int) -> float:
    """True peak in dBTP: the sample peak of the signal oversampled 4 times (BS.1770-4, Annex 2). Only the
    blocks whose sample peak comes within 3 dB of the loudest are oversampled: between samples a peak rises
    by well under 3 dB, so no other block can hold the true peak."""
    from scipy.signal import resample_poly

    if signal.size == 0:
        return -120.0
    block = 4096
    count = -(-signal.size // block)
    padded = np.zeros(count * block, dtype=np.float64)
    padded[: signal.size] = signal
    blocks = np.abs(padded).reshape(count, block).max(axis=1)
    loudest = float(blocks.max())
    if loudest == 0:
        return -120.0
    peak = loudest
    context = 64  # samples either side, for the interpolation filter to settle
    taps = _oversampling_filter()
    for index in np.flatnonzero(blocks >= loudest * 10 ** (-3 / 20)):
        start, end = max(0, index * block - context), min(signal.size, (index + 1) * block + context)
        peak = max(peak, float(np.max(np.abs(resample_poly(padded[start:end], 4, 1, window=taps)))))
    return 20 * np.log10(peak)


@functools.lru_cache(maxsize=1)
def _oversampling_filter() -> np.ndarray:
    """The low-pass resample_poly would design for 4x on every call, designed once."""
    from scipy.signal import firwin

    return firwin(2 * 10 * 4 + 1, 1 / 4, window=("kaiser", 5.0))


def limit(signal: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """A look-ahead peak limiter: the gain dips smoothly around every peak above the ceiling, never elsewhere."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    magnitude = np.abs(signal)
    if magnitude.size == 0 or magnitude.max() <= ceiling:
        return signal
    window = max(3, int(0.005 * rate)) | 1  # 5 ms: short enough to leave syllables alone
    wanted = np.minimum(1.0, ceiling / np.maximum(magnitude, 1e-9))
    # the minimum over twice the window, then a mean over the window, stays at or below `wanted` everywhere
    gain = uniform_filter1d(minimum_filter1d(wanted, size=2 * window + 1), size=window)
    return (signal * gain).astype(np.float32)


def normalize(signal: np.ndarray, rate: int, target: float = TARGET_LUFS, ceiling_db: float = LIMIT_DBFS) -> np.ndarray:
    """Gain to the target loudness, peaks limited under the ceiling; the limiter's small loss is made up once
    (measured again only when the limiter touched more than a trace of the signal)."""
    measured = loudness(signal, rate)
    if not np.isfinite(measured):
        return signal  # silence: nothing to normalize
    gained = signal * np.float32(10 ** ((target - measured) / 20))
    out = limit(gained, rate, ceiling_db)
    if np.count_nonzero(out != gained) < 0.001 * out.size:
        return out
    after = loudness(out, rate)
    if np.isfinite(after) and abs(after - target) >= 0.1:
        out = limit(out * np.float32(10 ** ((target - after) / 20)), rate, ceiling_db)
    return out


def encode_mp3(signal: np.ndarray, rate: int) -> bytes:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(MP3_QUALITY)
    return bytes(encoder.encode(to_bytes(signal)) + encoder.flush())


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    """MP3 -> float32 mono samples and rate (libsndfile's MPEG decoder through soundfile)."""
    import soundfile

    signal, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return signal.mean(axis=1).astype(np.float32), int(rate)


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
    """Walk the frame headers of a layer III stream with no ID3 tag in front (what lameenc writes)."""
    offset = count = 0
    samples = rate = 0
    while offset + 4 <= len(data):
        header = int.from_bytes(data[offset : offset + 4], "big")
        version, layer = (header >> 19) & 3, (header >> 17) & 3
        if header >> 21 != 0x7FF or version == 1 or layer != 1 or (header >> 10) & 3 == 3 or (header >> 12) & 15 in (0, 15):
            raise ValueError(f"not an MPEG layer III frame at byte {offset}")
        rate = _RATES[version][(header >> 10) & 3]
        bitrate = _BITRATES[1 if version == 3 else 2][(header >> 12) & 15] * 1000
        samples = 1152 if version == 3 else 576
        offset += samples // 8 * bitrate // rate + ((header >> 9) & 1)
        count += 1
    return Frames(count, samples, rate)
