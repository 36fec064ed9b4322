"""The loudness guard, bent on purpose: a step the encoder moves off the target must be aimed again until it is
on it (-19 LUFS within 0.5 LU, true peak at most -1 dBTP, measured on the decoded MP3) or refused; the limiter
must hold peaks under its ceiling and leave alone what lies far from a peak; the true-peak meter must find the
peaks between samples; the meter's gates must leave out the blocks BS.1770-4 leaves out.

Every expectation is worked out here, by hand or by an independent reference (pyloudnorm's meter, scipy's
resampler and filters), never from leaflet's own constants. In-process and short signals: mutation testing runs
these once per mutant."""

from __future__ import annotations

import numpy as np
import pytest

from leaflet.errors import RenderError
from leaflet.render import sound, steps

RATE = 22050


def tone(frequency: float, amplitude: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def reference_lufs(signal: np.ndarray, rate: int = RATE) -> float:
    import pyloudnorm

    return float(pyloudnorm.Meter(rate).integrated_loudness(signal.astype(np.float64)))


def reference_true_peak(signal: np.ndarray) -> float:
    """4 times oversampled by scipy over the whole signal, silence around it (BS.1770-4, Annex 2)."""
    from scipy.signal import resample_poly

    return float(20 * np.log10(np.max(np.abs(resample_poly(signal.astype(np.float64), 4, 1)))))


# --- the correction loop, on real MP3 -----------------------------------------------------------------------

class Rounds:
    """Counts the rounds of make_ready: the (target, ceiling) each round gave normalize."""

    def __init__(self, monkeypatch):
        self.asked: list[tuple[float, float]] = []
        real = sound.normalize

        def normalize(signal, rate, target, ceiling, measured):
            self.asked.append((float(target), float(ceiling)))
            return real(signal, rate, target, ceiling, measured)

        monkeypatch.setattr(sound, "normalize", normalize)


def shipped(step: steps.ReadyStep) -> tuple[float, float, float]:
    """The step as a player hears it: its frames decoded, measured by leaflet's meters and by pyloudnorm."""
    decoded, rate = sound.decode_mp3(step.frames)
    assert rate == RATE
    return sound.loudness(decoded, rate), sound.true_peak(decoded, rate), reference_lufs(decoded)


def test_a_step_whose_high_notes_the_encoder_drops_is_aimed_again_until_on_target(monkeypatch):
    # a 9.2 kHz tone: the aim, at half the rate, hears it folded down to 1.85 kHz, and the encoder takes some of
    # it away; the first round lands over half a LU from the target
    rounds = Rounds(monkeypatch)
    signal = tone(9200, 0.1) + tone(300, 0.02)
    step = steps.make_ready(signal, RATE, -19.0, (100, 200))
    lufs, peak, oracle = shipped(step)
    assert len(rounds.asked) >= 2, "the first round must miss: the test's signal no longer bends the guard"
    assert rounds.asked[0] == (pytest.approx(-18.6), pytest.approx(-2.5))
    assert rounds.asked[1][0] < -18.6 - 0.5, "the first round came out loud: the second aim is lower"
    assert abs(lufs + 19.0) <= 0.5 and abs(oracle + 19.0) <= 0.5 and peak <= -1.0
    assert step.lufs == pytest.approx(lufs, abs=1e-9) and step.true_peak == pytest.approx(peak, abs=1e-9)
    assert step.rate == RATE and step.lengths == (100, 200)


def test_a_step_whose_encoded_peaks_overshoot_is_limited_lower_until_under_minus_1_dbtp(monkeypatch):
    # clicks whose samples sit on both sides of the peak: the peak between them is 3 dB over the samples, and
    # the encoder brings it out; the first round's -2.5 dBFS ceiling is not low enough
    rounds = Rounds(monkeypatch)
    signal = tone(300, 0.005)
    for start in range(1000, signal.size - 1000, 5000):
        signal[start : start + 80] = 0.9 * np.sin(np.pi / 2 * np.arange(80) + np.pi / 4)
    step = steps.make_ready(signal, RATE, -19.0)
    lufs, peak, oracle = shipped(step)
    ceilings = [ceiling for _, ceiling in rounds.asked]
    assert ceilings[0] == pytest.approx(-2.5) and len(ceilings) >= 2 and ceilings[1] < -2.5 - 0.2
    assert all(later < earlier for earlier, later in zip(ceilings, ceilings[1:]))
    assert abs(lufs + 19.0) <= 0.5 and abs(oracle + 19.0) <= 0.5 and peak <= -1.0


def test_a_step_whose_loudness_lies_in_its_clicks_alone_is_refused_not_shipped_quiet():
    # the limiter holds the clicks down, and the quiet tone under them cannot make up the loudness in four
    # rounds: before, the step shipped 1.7 LU under the target
    signal = tone(300, 0.01)
    for start in range(1000, signal.size - 1000, 5000):
        signal[start : start + 50] = 0.9 * np.sin(np.pi / 2 * np.arange(50) + np.pi / 4)
    with pytest.raises(RenderError, match=r"^a step stays at -2\d\.\d LUFS after 4 rounds \(at most 0\.5 LU from -19\)$"):
        steps.make_ready(signal, RATE, -19.0)


# --- the correction loop, with a codec whose loss is set by the test -----------------------------------------

class Codec(Rounds):
    """Stands in for the MP3 encoder and decoder: round k's step comes back `offsets[k]` dB louder than it went
    in (a loss that changes from round to round), with a lone sample at `spike` dBFS in it when one is given."""

    def __init__(self, monkeypatch, offsets: list[float], spike: float | None = None):
        super().__init__(monkeypatch)
        self.offsets, self.spike = offsets, spike
        self.given: list[np.ndarray] = []
        monkeypatch.setattr(sound, "encode_mp3", self.encode)
        monkeypatch.setattr(sound, "decode_mp3", self.decode)

    def encode(self, signal: np.ndarray, rate: int) -> bytes:
        assert rate == RATE
        self.given.append(signal.copy())
        return f"round {len(self.given)}".encode()

    def decode(self, frames: bytes) -> tuple[np.ndarray, int]:
        k = int(frames.split()[1]) - 1
        out = self.given[k] * np.float32(10 ** (self.offsets[k] / 20))
        if self.spike is not None:
            out[RATE // 2] = 10 ** (self.spike / 20)
        return out, RATE


QUIET = tone(440, 0.05)  # far under any ceiling: the limiter leaves it alone, so a gain is all that moves it


def targets(codec: Codec) -> list[float]:
    return [round(target, 1) for target, _ in codec.asked]


def test_a_codec_loss_the_first_aim_allows_for_takes_one_round(monkeypatch):
    codec = Codec(monkeypatch, [-0.85])  # shipped 0.45 under -19: on target
    step = steps.make_ready(QUIET, RATE, -19.0, [5])
    assert codec.asked == [(pytest.approx(-18.6), pytest.approx(-2.5))]
    assert step.frames == b"round 1" and step.lufs == pytest.approx(-19.45, abs=0.03)
    assert step.lengths == (5,) and step.rate == RATE and isinstance(step.lufs, float)


def test_a_codec_loss_beyond_it_is_made_up_in_a_second_round(monkeypatch):
    codec = Codec(monkeypatch, [-3.0, -3.0])
    step = steps.make_ready(QUIET, RATE, -19.0)
    assert targets(codec) == [-18.6, -16.0]  # 2.6 LU short: aimed that much higher, not lower
    assert [c for _, c in codec.asked] == [-2.5, -2.5]
    assert step.frames == b"round 2" and step.lufs == pytest.approx(-19.0, abs=0.05)


def test_a_codec_gain_is_taken_off_in_a_second_round(monkeypatch):
    codec = Codec(monkeypatch, [1.1, 1.1])  # 1.5 over: the first miss is over the target, not under
    step = steps.make_ready(QUIET, RATE, -23.0)  # broadcast loudness: the aim follows the target asked for
    assert targets(codec) == [-22.6, -24.1]
    assert step.lufs == pytest.approx(-23.0, abs=0.05)


def test_a_codec_that_changes_every_round_gets_all_four_rounds(monkeypatch):
    codec = Codec(monkeypatch, [-3.0, 0.0, -3.0, -3.0])
    step = steps.make_ready(QUIET, RATE, -19.0)
    assert targets(codec) == [-18.6, -16.0, -19.0, -16.0]
    assert step.frames == b"round 4" and step.lufs == pytest.approx(-19.0, abs=0.05)


def test_a_step_still_off_target_after_four_rounds_is_refused(monkeypatch):
    codec = Codec(monkeypatch, [-3.0, 0.0, -3.0, 0.0, 0.0, 0.0])
    with pytest.raises(RenderError, match=r"^a step stays at -16\.0 LUFS after 4 rounds \(at most 0\.5 LU from -19\)$"):
        steps.make_ready(QUIET, RATE, -19.0)
    assert len(codec.given) == 4


def test_a_peak_over_the_ceiling_lowers_the_limiter_by_the_overshoot_and_a_margin(monkeypatch):
    codec = Codec(monkeypatch, [0.0, 0.0])
    codec.spike = -0.5
    real_decode = codec.decode

    def decode_once_spiked(frames):  # the spike in the first round only
        out, rate = real_decode(frames)
        codec.spike = None
        return out, rate

    monkeypatch.setattr(sound, "decode_mp3", decode_once_spiked)
    step = steps.make_ready(QUIET, RATE, -19.0)
    assert [c for _, c in codec.asked] == [pytest.approx(-2.5), pytest.approx(-3.2)]  # 0.5 over, and 0.2 more
    assert step.true_peak < -1.0 and step.frames == b"round 2"


def test_a_peak_that_stays_over_the_ceiling_is_refused_after_four_rounds(monkeypatch):
    codec = Codec(monkeypatch, [0.0] * 6, spike=-0.5)
    with pytest.raises(RenderError, match=r"^a step's peaks stay at -0\.5 dBTP after limiting \(at most -1 allowed\)$"):
        steps.make_ready(QUIET, RATE, -19.0)
    assert [round(c, 2) for _, c in codec.asked] == [-2.5, -3.2, -3.9, -4.6]
    assert targets(codec) == [-18.6, -19.0, -19.0, -19.0]  # on -19 from the second round: only the ceiling moves


def test_a_peak_just_over_minus_1_dbtp_is_not_shipped(monkeypatch):
    codec = Codec(monkeypatch, [0.0] * 6, spike=-0.98)
    with pytest.raises(RenderError, match=r"peaks stay at -1\.0 dBTP"):
        steps.make_ready(QUIET, RATE, -19.0)
    assert [round(c, 2) for _, c in codec.asked] == [-2.5, -2.72, -2.94, -3.16]


class Readings:
    """Stands in for the encoder, decoder and meters: round k's step measures `readings[k]` (LUFS, dBTP), exactly."""

    def __init__(self, monkeypatch, readings: list[tuple[float, float]]):
        self.readings, self.round = readings, 0
        self.asked: list[tuple[float, float]] = []
        real = sound.normalize

        def normalize(signal, rate, target, ceiling, measured):
            self.asked.append((float(target), float(ceiling)))
            return real(signal, rate, target, ceiling, measured)

        monkeypatch.setattr(sound, "normalize", normalize)
        monkeypatch.setattr(sound, "encode_mp3", lambda signal, rate: f"round {len(self.asked)}".encode())
        monkeypatch.setattr(sound, "decode_mp3", lambda frames: (np.zeros(RATE, dtype=np.float32), RATE))
        monkeypatch.setattr(sound, "loudness", lambda signal, rate: self.readings[len(self.asked) - 1][0])
        monkeypatch.setattr(sound, "true_peak", lambda signal, rate: self.readings[len(self.asked) - 1][1])


@pytest.mark.parametrize("lufs", [-19.5, -18.5])
def test_a_step_0_5_lu_off_with_its_peak_at_minus_1_dbtp_is_on_target(monkeypatch, lufs):
    readings = Readings(monkeypatch, [(lufs, -1.0)])
    step = steps.make_ready(QUIET, RATE, -19.0)
    assert len(readings.asked) == 1 and (step.lufs, step.true_peak, step.frames) == (lufs, -1.0, b"round 1")


def test_a_peak_at_the_ceiling_does_not_lower_the_limiter(monkeypatch):
    readings = Readings(monkeypatch, [(-20.0, -1.0), (-19.0, -1.5)])
    steps.make_ready(QUIET, RATE, -19.0)
    assert [round(c, 6) for _, c in readings.asked] == [-2.5, -2.5]
    assert [round(t, 6) for t, _ in readings.asked] == [-18.6, -17.6]


@pytest.mark.parametrize("lufs", [-20.0, -17.9])
def test_a_step_1_lu_off_after_four_rounds_is_refused(monkeypatch, lufs):
    readings = Readings(monkeypatch, [(lufs, -3.0)] * 4)
    with pytest.raises(RenderError, match=rf"^a step stays at {lufs:.1f} LUFS after 4 rounds"):
        steps.make_ready(QUIET, RATE, -19.0)
    assert len(readings.asked) == 4


# --- normalize ------------------------------------------------------------------------------------------------

def bursts(louder: float = 8.0, length: int = RATE // 200) -> np.ndarray:
    """A quiet tone 8 times louder for 5 ms five times a second: at -19 LUFS the limiter holds the bursts down,
    and what it takes is 0.9 LU of the loudness."""
    envelope = np.ones(RATE, dtype=np.float32)
    for start in range(0, RATE, RATE // 5):
        envelope[start : start + length] = louder
    return tone(180, 0.03) * envelope


@pytest.mark.parametrize("given", ["nothing", "loudness", "measure", "aim"])
def test_normalize_reaches_the_target_and_keeps_peaks_under_the_ceiling(given):
    for signal, target, within in [(tone(1000, 0.1), -19.0, 0.1), (tone(1000, 0.5), -23.0, 0.1), (bursts(), -18.0, 0.7)]:
        measured = {"nothing": None, "loudness": sound.loudness(signal, RATE), "measure": sound.measure(signal, RATE),
                    "aim": sound.aim(signal, RATE)}[given]
        out = sound.normalize(signal, RATE, target, -2.5, measured)
        assert abs(reference_lufs(out) - target) < within
        assert np.max(np.abs(out)) <= 10 ** (-2.5 / 20) + 1e-6
        assert out.dtype == np.float32 and out.size == signal.size
        assert np.array_equal(out, sound.normalize(signal, RATE, target, -2.5)) or given == "aim"


def test_normalize_makes_up_what_the_limiter_took_only_when_it_took_more_than_a_trace():
    signal = bursts()
    out = sound.normalize(signal, RATE, -19.0, -2.5)
    plain = signal * np.float32(10 ** ((-19.0 - reference_lufs(signal)) / 20))
    limited = plain.copy()
    changed = sound.limit_in_place(limited, RATE, -2.5)
    assert changed > 0.05 * signal.size and reference_lufs(limited) < -19.8, "the bursts no longer bend normalize"
    assert -19.55 < reference_lufs(out) < -19.0, "the limiter's loss made up once (and limited again)"
    assert np.max(np.abs(out)) <= 10 ** (-2.5 / 20) + 1e-6


def reference_normalize(signal: np.ndarray, target: float) -> np.ndarray:
    """normalize worked out with the references: the gain pyloudnorm asks for, scipy's limiter, the loudness the
    limiter took made up once, the limiter again."""
    gained = signal * np.float32(10 ** ((target - reference_lufs(signal)) / 20))
    limited = whole_signal_limiter(gained, RATE, -2.5)
    made_up = limited * np.float32(10 ** ((target - reference_lufs(limited)) / 20))
    return whole_signal_limiter(made_up, RATE, -2.5)


def test_normalize_makes_up_the_limiters_loss_by_what_it_measures():
    for envelope in (8.0, 12.0):
        signal = bursts(envelope)
        out = sound.normalize(signal, RATE, -19.0, -2.5, sound.measure(signal, RATE))
        assert reference_lufs(out) == pytest.approx(reference_lufs(reference_normalize(signal, -19.0)), abs=0.01)


def test_a_limiter_loss_under_0_1_lu_is_left_as_it_is():
    signal = bursts(12.0, RATE // 100)  # the limiter holds 10 % of the samples down, and takes 0.03 LU
    out = sound.normalize(signal, RATE, -19.0, -2.5)
    gained = signal * np.float32(10 ** ((-19.0 - sound.loudness(signal, RATE)) / 20))
    limited = gained.copy()
    assert sound.limit_in_place(limited, RATE, -2.5) > 0.05 * signal.size
    assert -19.1 < reference_lufs(limited) < -19.0
    assert np.array_equal(out, limited)


def test_a_trace_the_limiter_took_is_not_made_up():
    # 30 s of a quiet tone, and one 5 ms burst that the gates leave as the only loud block: the limiter takes
    # most of its loudness, but it changes under 0.1 % of the samples
    rate = 8000
    signal = (0.001 * np.sin(2 * np.pi * 180 * np.arange(rate * 30) / rate)).astype(np.float32)
    signal[rate * 10 : rate * 10 + 40] = 0.5 * np.sin(2 * np.pi * 180 * np.arange(40) / rate)
    out = sound.normalize(signal, rate, -19.0, -2.5)
    changed = np.flatnonzero(out != signal * np.float32(10 ** ((-19.0 - sound.loudness(signal, rate)) / 20)))
    assert 0 < changed.size < 0.001 * signal.size
    assert reference_lufs(out, rate) < -19.5, "measured again and made up: not a trace"


class Scripted(sound.Measure):
    """A measure that says the signal is `lufs` loud, and `after` once limited: the edges of normalize's rules
    reached exactly."""

    def __init__(self, lufs: float, after: float):
        self.lufs, self.after = lufs, after

    def again(self, changed, gain, stretches):
        return self.after


def lone_peak(size: int) -> np.ndarray:
    """One sample over a -3 dB ceiling, silence within the limiter's reach of it, a quiet tone further out: the
    limiter changes exactly one sample."""
    signal = (0.01 * np.sin(2 * np.pi * 180 * np.arange(size) / RATE)).astype(np.float32)
    signal[size // 2 - 200 : size // 2 + 200] = 0.0
    signal[size // 2] = 0.9
    return signal


def test_a_limiter_that_changed_one_sample_in_1000_is_measured_again():
    for size, measured_again in [(1000, True), (1001, False)]:  # 0.1 % of the samples is more than a trace
        signal = lone_peak(size)
        out = sound.normalize(signal, RATE, -19.0, -3.0, Scripted(-19.0, -20.0))
        far = np.abs(np.arange(size) - size // 2) > 200
        assert np.array_equal(out[far], signal[far]) != measured_again, size
        assert out[size // 2] == pytest.approx(10 ** (-3 / 20), rel=1e-6)


def test_a_limiter_loss_of_0_1_lu_exactly_is_made_up():
    for after, made_up in [(-0.1, True), (np.nextafter(-0.1, 0.0), False)]:
        signal = lone_peak(1000)
        out = sound.normalize(signal, RATE, 0.0, -3.0, Scripted(0.0, after))
        far = np.abs(np.arange(1000) - 500) > 200
        assert np.array_equal(out[far], signal[far]) != made_up, after
        if made_up:
            assert np.allclose(out[far], signal[far] * 10 ** (0.1 / 20), rtol=1e-6)


def test_normalize_aims_at_minus_19_lufs_under_minus_2_5_dbfs_unless_told_otherwise():
    out = sound.normalize(bursts(), RATE)
    assert abs(reference_lufs(out) + 19.0) < 0.5
    assert 10 ** (-2.6 / 20) < np.max(np.abs(out)) <= 10 ** (-2.5 / 20) + 1e-6
    assert abs(reference_lufs(sound.normalize(tone(1000, 0.1), RATE)) + 19.0) < 0.05


def test_normalize_leaves_silence_as_it_is():
    quiet = np.zeros(RATE, dtype=np.float32)
    assert sound.normalize(quiet, RATE, -19.0, -2.5) is quiet
    assert sound.normalize(quiet, RATE, -19.0, -2.5, float("-inf")) is quiet


# --- the limiter ------------------------------------------------------------------------------------------------

def whole_signal_limiter(signal: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """scipy.ndimage's filters over every sample: a 5 ms window (odd, at least 3), the minimum over twice it."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    window = max(3, int(0.005 * rate)) | 1
    wanted = np.minimum(1.0, 10 ** (ceiling_db / 20) / np.maximum(np.abs(signal), 1e-9))
    return (signal * uniform_filter1d(minimum_filter1d(wanted, size=2 * window + 1), size=window)).astype(np.float32)


def limiter_cases() -> dict[str, tuple[np.ndarray, int]]:
    rng = np.random.default_rng(3)
    base = tone(180, 0.05)
    negative, ends, spaced, close = base.copy(), base.copy(), np.tile(base, 3), base.copy()
    negative[[3000, 3001, 9000]] = [-0.97, -0.9, -0.8]  # under the ceiling's negative side only
    ends[[0, 2, base.size - 3, base.size - 1]] = [0.95, -0.9, 0.85, -1.0]
    position = 500
    for gap in range(655, 680):  # pairs of peaks at spacings around where the stretches merge
        spaced[[position, position + gap]] = [0.9, -0.9]
        position += gap + 1500
    close[5000:5400:7] = 0.99
    return {
        "negative peaks": (negative, RATE), "peaks at the ends": (ends, RATE), "peaks at every spacing": (spaced, RATE),
        "a run of peaks": (close, RATE), "everything over": ((0.9 * np.sign(rng.standard_normal(4000))).astype(np.float32), RATE),
        "a slow rate": (np.r_[np.full(20, 0.1), [0.95], np.full(20, -0.1)].astype(np.float32), 400),  # 3-sample window
        "many stretches": (np.tile(np.r_[[0.97], np.full(699, 0.05)], 110).astype(np.float32), RATE),  # 2 groups
        "8 kHz": (np.r_[np.zeros(300), [0.95, 0.95], np.zeros(300)].astype(np.float32), 8000),
    }


def test_the_limiter_gives_what_the_whole_signal_filters_give():
    for name, (signal, rate) in limiter_cases().items():
        limited = signal.copy()
        changed, stretches = sound._limit(limited, rate, -2.5)
        expected = whole_signal_limiter(signal, rate, -2.5)
        assert np.max(np.abs(limited - expected)) <= 1e-6, name
        assert changed == np.count_nonzero(limited != signal) > 0, name
        assert np.max(np.abs(limited)) <= 10 ** (-2.5 / 20) + 1e-6, name
        moved = np.flatnonzero(limited != signal)
        assert all(any(start <= i < end for start, end in stretches) for i in moved), name
        assert sound.limit_in_place(signal.copy(), rate, -2.5) == changed, name


def test_the_limiter_touches_nothing_far_from_a_peak_and_nothing_at_all_without_one():
    signal = tone(180, 0.3, 2.0)
    signal[[10000, 30000]] = [0.95, -0.99]
    limited = signal.copy()
    changed, stretches = sound._limit(limited, RATE, -3.0)
    reach = 3 * 111 // 2 + 1  # the minimum's half window (111 samples) and the mean's half window, at 22,050 Hz
    near = (np.abs(np.arange(signal.size) - 10000) <= reach) | (np.abs(np.arange(signal.size) - 30000) <= reach)
    assert np.array_equal(limited[~near], signal[~near])
    assert 0 < changed == np.count_nonzero(limited != signal) <= near.sum()
    assert limited[10000] <= 10 ** (-3 / 20) and limited[30000] >= -(10 ** (-3 / 20))
    # each widened by twice the gain's reach (166 samples), so that its ends are quiet
    assert stretches == [(10000 - 332, 10001 + 332), (30000 - 332, 30001 + 332)]
    under = tone(180, 0.7)  # -3.1 dBFS: just under a -3 dB ceiling
    kept = under.copy()
    assert sound._limit(kept, RATE, -3.0) == (0, []) and np.array_equal(kept, under)
    loud = tone(180, 0.72)
    assert sound._limit(loud, RATE, -3.0)[0] > 0
    for sign in (1, -1):  # a sample at the ceiling is not over it
        at = np.r_[np.full(50, 0.1), [sign * 0.5], np.full(50, 0.1)].astype(np.float32)
        assert sound._limit(at, RATE, exactly_db(0.5)) == (0, [])
        assert sound._limit(at, RATE, exactly_db(0.5) - 0.01)[0] > 0


def exactly_db(level: float) -> float:
    """A ceiling in dB whose level the limiter works out as exactly `level`."""
    db = 20 * np.log10(level)
    for _ in range(100):
        if 10 ** (db / 20) == level:
            return db
        db = np.nextafter(db, np.inf if 10 ** (db / 20) < level else -np.inf)
    raise AssertionError(f"no ceiling in dB gives {level} exactly")


def test_the_stretches_around_peaks_are_widened_and_merged_only_where_they_overlap():
    over = np.array([100, 101, 105, 300, 321, 342, 900])
    assert sound._stretches(over, 10, 1000) == [(90, 116), (290, 311), (311, 332), (332, 353), (890, 911)]
    assert sound._stretches(np.array([3, 995]), 10, 1000) == [(0, 14), (985, 1000)]  # cut at the ends
    assert sound._stretches(np.array([50, 70]), 10, 1000) == [(40, 81)]  # 20 apart: the widened ranges overlap
    assert sound._stretches(np.array([50, 71]), 10, 1000) == [(40, 61), (61, 82)]  # 21 apart: they only touch
    assert sound._stretches(np.array([7]), 0, 8) == [(7, 8)]


def test_the_limiters_gain_is_smooth_and_never_above_what_any_sample_in_reach_wants():
    stretch = np.zeros(41, dtype=np.float32)
    stretch[20] = 2.0  # wants 0.25 of a 0.5 ceiling
    gain = sound._limiter_gain(stretch, 0.5, 3)  # the minimum over 7, then the mean over 3
    expected = np.ones(41)
    expected[16:25] = [2 / 3 + 0.25 / 3, 1 / 3 + 0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 1 / 3 + 0.5, 2 / 3 + 0.25 / 3]
    expected[16], expected[17] = (2 + 0.25) / 3, (1 + 0.5) / 3
    expected[23], expected[24] = (1 + 0.5) / 3, (2 + 0.25) / 3
    assert gain.dtype == np.float32
    assert np.allclose(gain, expected, rtol=0, atol=1e-6)
    silent = sound._limiter_gain(np.zeros(9, dtype=np.float32), 0.5, 3)
    assert np.array_equal(silent, np.ones(9, dtype=np.float32)), "silence wants no gain change"
    tiny = sound._limiter_gain(np.full(9, 1e-12, dtype=np.float32), 1e-10, 3)
    assert np.allclose(tiny, 0.1, rtol=1e-5), "a floor of 1e-9 under the magnitudes: 1e-10 / 1e-9"


# --- the true-peak meter ------------------------------------------------------------------------------------------

def peak_cases() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(2)
    t = np.arange(RATE // 4)
    quarter = (0.5 * np.sin(np.pi / 2 * t + np.pi / 4)).astype(np.float32)  # samples at 0.354, peaks at 0.5
    burst = np.zeros(RATE // 4, dtype=np.float32)
    burst[2000:2200] = 0.6 * np.sin(2 * np.pi * 0.45 * np.arange(200) + 0.3)
    ends = (0.01 * rng.standard_normal(3000)).astype(np.float32)
    ends[[0, 1, -2, -1]] = [0.7, -0.7, -0.7, 0.7]
    negative = np.zeros(3000, dtype=np.float32)
    negative[[1000, 1001, 2000]] = [-0.6, 0.6, -0.8]
    long = np.tile(np.array([0.3, 0.3, -0.3, -0.3], dtype=np.float32), 9000)  # 36,000 samples all near the peak
    long[30000:30004] = [0.31, 0.31, -0.31, -0.31]  # the highest peak in a later batch of positions
    return {"a quarter of the rate at 45 degrees": quarter, "a burst near Nyquist": burst,
            "peaks at both ends": ends, "negative peaks": negative, "a long run near the peak": long,
            "a lone sample": np.r_[np.zeros(50), [0.5], np.zeros(50)].astype(np.float32)}


def test_the_true_peak_is_what_oversampling_everything_gives():
    for name, signal in peak_cases().items():
        measured = sound.true_peak(signal, RATE)
        assert measured == pytest.approx(reference_true_peak(signal), abs=0.02), name
    assert sound.true_peak(peak_cases()["a quarter of the rate at 45 degrees"], RATE) == pytest.approx(
        20 * np.log10(0.5), abs=0.15), "3 dB over the samples (the filter's ripple aside)"
    assert sound.true_peak(np.r_[np.zeros(50), [-0.5], np.zeros(50)].astype(np.float32), RATE) == pytest.approx(
        20 * np.log10(0.5), abs=1e-5), "a lone sample is its own peak"


def test_silence_and_nothing_read_minus_120_dbtp():
    assert sound.true_peak(np.zeros(100, dtype=np.float32), RATE) == -120.0
    assert sound.true_peak(np.zeros(0, dtype=np.float32), RATE) == -120.0
    assert sound.true_peak(np.array([0.0, 1e-6], dtype=np.float32), RATE) == pytest.approx(-120.0, abs=0.1)


def every_value_between_samples(signal: np.ndarray, taps: np.ndarray) -> float:
    padded = np.pad(signal.astype(np.float64), (taps.shape[0] // 2 - 1, taps.shape[0] // 2))
    between = max(np.max(np.abs(np.correlate(padded, taps[:, p].astype(np.float64), "valid")))
                  for p in range(taps.shape[1]))
    return float(max(np.max(np.abs(signal)), between))


def test_a_peak_between_samples_that_are_all_well_under_the_loudest_is_found():
    # a window of 20 samples, each 1/bound of the loudest sample and signed as the taps of the strongest phase:
    # the value between them beats the loudest sample by 0.1 %, though no sample of them comes near it
    taps = sound._oversampling_phases().astype(np.float64)
    phase = int(np.argmax(np.abs(taps).sum(axis=0)))
    bound = np.abs(taps[:, phase]).sum()
    signal = np.zeros(400, dtype=np.float32)
    signal[50] = 0.5
    signal[200:220] = (np.sign(taps[:, phase]) * 0.5 * 1.001 / bound).astype(np.float32)
    expected = every_value_between_samples(signal, sound._oversampling_phases())
    assert expected > 0.5 * 1.0009
    assert sound.true_peak(signal, RATE) == pytest.approx(20 * np.log10(expected), abs=1e-6)


def test_a_peak_between_samples_far_from_every_loud_sample_is_found():
    # around the position the value is read at, four samples under the threshold; the loud ones (as loud as the
    # loudest) further out, signed as the taps: they alone make the value between the samples beat them
    taps = sound._oversampling_phases().astype(np.float64)
    phase = int(np.argmax(np.abs(taps).sum(axis=0)))
    window = np.sign(taps[:, phase]) * 0.5
    window[8:12] *= 0.3  # the samples n - 1 .. n + 2 of the window n - 9 .. n + 10
    signal = np.zeros(200, dtype=np.float32)
    signal[100:120] = window
    expected = every_value_between_samples(signal, sound._oversampling_phases())
    assert expected > 0.5
    assert sound.true_peak(signal, RATE) == pytest.approx(20 * np.log10(expected), abs=1e-6)


def test_a_peak_beside_three_quieter_samples_of_a_clipped_burst_is_found():
    # hard-clipped sound at half of full scale, alternating at the top of the spectrum around three quieter
    # samples: the loudest value between samples lies between those three (found by linear programming), where
    # only a window reaching 9 samples back and 10 on sees the loud samples that make it
    half = [-0.5] * 20 + [-0.3385] + [-0.5, 0.5] * 4 + [-0.2225, 0.2225, 0.2225] + [-0.5, 0.5] * 4 + [-0.5, -0.3345] \
        + [-0.5] * 18
    signal = np.array([0.0] * 10 + half + [0.0] * 10, dtype=np.float32)
    expected = every_value_between_samples(signal, sound._oversampling_phases())
    assert 20 * np.log10(expected) == pytest.approx(-2.93, abs=0.01)
    assert sound.true_peak(signal, RATE) == pytest.approx(20 * np.log10(expected), abs=1e-5)
    assert sound.true_peak(signal, RATE) == pytest.approx(reference_true_peak(signal), abs=0.02)


def test_the_samples_near_a_peak_are_every_window_holding_one():
    signal = np.zeros(60, dtype=np.float32)
    signal[[5, 30, 58]] = [0.5, -0.5, 0.5]
    signal[45] = 0.2  # under the threshold
    width = 6  # a window of n - 2 .. n + 3
    expected = [n for n in range(60) if any(abs(signal[k]) > 0.3 for k in range(max(0, n - 2), min(60, n + 4)))]
    assert sound._near_peaks(signal, 0.3, width).tolist() == expected
    assert expected == [2, 3, 4, 5, 6, 7, 27, 28, 29, 30, 31, 32, 55, 56, 57, 58, 59]
    assert sound._near_peaks(signal, 0.5, width).size == 0, "only samples beyond the threshold count"


def test_the_values_between_samples_are_interpolated_as_if_silence_went_on_at_both_ends():
    # 4 taps a phase, rows in signal order: the window of position n is samples n - 1 .. n + 2; phase 0 reads
    # sample n, phase 1 twice sample n - 1, phase 2 twice sample n + 2
    taps = np.array([[0.0, 2.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 2.0]], dtype=np.float32)
    signal = np.array([0.2, -0.1, 0.1, 0.3], dtype=np.float32)
    # before the start and after the end: silence (not the first or last sample again)
    for n, expected in [(0, 0.2), (1, 0.6), (2, 0.2), (3, 0.3)]:
        assert sound._interpolated_peak(signal, np.array([n]), taps) == pytest.approx(expected), n
    assert sound._interpolated_peak(signal, np.arange(4), taps) == pytest.approx(0.6)
    assert sound._interpolated_peak(np.array([0.0, 0.0, -0.9, 0.0], dtype=np.float32), np.array([2]), taps) == \
        pytest.approx(0.9), "a negative value counts by its size"
    assert sound._interpolated_peak(signal, np.array([], dtype=np.int64), taps) == 0.0
    many = np.zeros(40000, dtype=np.float32)
    many[39990] = 0.7
    assert sound._interpolated_peak(many, np.arange(40000), taps) == pytest.approx(1.4), "every batch is read"


# --- the gates ------------------------------------------------------------------------------------------------

def power(lufs: float) -> float:
    """A block's mean square for its loudness: BS.1770's -0.691 + 10 log10(z)."""
    return 10 ** ((lufs + 0.691) / 10)


def lufs_of(powers: list[float]) -> float:
    return -0.691 + 10 * np.log10(np.mean(powers))


def exactly_minus_70() -> float:
    """A mean square the meter reads as exactly -70 LUFS (the absolute gate's edge)."""
    z = power(-70.0)
    for _ in range(200):
        value = -0.691 + 10 * np.log10(z)
        if value == -70.0:
            return z
        z = np.nextafter(z, np.inf if value < -70.0 else 0.0)
    raise AssertionError("no mean square reads as -70 LUFS exactly")


def test_the_gates_leave_out_blocks_under_minus_70_and_those_10_lu_under_the_rest():
    loud = [power(-20.0), power(-22.0)]
    assert sound._gated(np.array(loud)) == pytest.approx(lufs_of(loud), abs=1e-9)
    # -75 is under the absolute gate; -34 is 11.4 LU under the mean of the blocks over it (-22.6): out
    assert sound._gated(np.array(loud + [power(-75.0), power(-34.0)])) == pytest.approx(lufs_of(loud), abs=1e-9)
    # -33 is 10.4 LU under the mean of the blocks over -70 (-22.6): out; -31.5 is 9.1 under theirs: kept
    assert sound._gated(np.array(loud + [power(-33.0)])) == pytest.approx(lufs_of(loud), abs=1e-9)
    assert sound._gated(np.array(loud + [power(-31.5)])) == pytest.approx(lufs_of(loud + [power(-31.5)]), abs=1e-9)
    # -29 is 6.9 LU under theirs: kept
    kept = loud + [power(-29.0)]
    assert sound._gated(np.array(kept + [power(-71.0)])) == pytest.approx(lufs_of(kept), abs=1e-9)
    # blocks under -70 are left out whatever the relative gate: the 50 blocks at -72 are under it, -69.5 is kept
    quiet = [power(-60.0)] * 3 + [power(-69.5)]
    assert sound._gated(np.array(quiet + [power(-72.0)] * 50)) == pytest.approx(lufs_of(quiet), abs=1e-9)
    # the relative gate is worked out from the blocks over the absolute gate only: with the 100 silent blocks
    # counted the mean would fall 15.4 LU (103 blocks, not 3) and the gate from -31.7 to -47.0, letting -33 in
    silent = loud + [power(-33.0)] + [0.0] * 100
    assert sound._gated(np.array(silent)) == pytest.approx(lufs_of(loud), abs=1e-9)


def test_the_relative_gate_follows_the_blocks_over_the_absolute_gate():
    # without the -70 blocks the relative gate is at -63 and leaves -65 out; with them it is at -79.6
    edge = exactly_minus_70()
    loud, middle = power(-50.0), power(-65.0)
    assert sound._gated(np.array([loud, middle])) == pytest.approx(-50.0 + 10 * np.log10(1.0), abs=1e-9)
    with_edge = np.array([loud, middle] + [edge] * 1000)
    assert sound._gated(with_edge) == pytest.approx(lufs_of([loud, middle]), abs=1e-9), \
        "blocks at exactly -70 count for the relative gate, and are themselves left out"


def test_a_block_exactly_at_the_relative_gate_is_left_out():
    loud = power(-20.0)
    low, high = power(-40.0), power(-25.0)

    def over(z: float) -> float:  # the block's loudness over the relative gate (BS.1770-4: 10 LU under the mean)
        return (-0.691 + 10 * np.log10(z)) - (-0.691 + 10 * np.log10(np.mean([loud, loud, z])) - 10.0)

    for _ in range(200):
        low, high = (low, (low + high) / 2) if over((low + high) / 2) >= 0 else ((low + high) / 2, high)
    edge = next(z for z in (high, low, np.nextafter(high, np.inf), np.nextafter(low, 0.0)) if over(z) == 0.0)
    assert sound._gated(np.array([loud, loud, edge])) == pytest.approx(-20.0, abs=1e-9)
    above = edge
    while over(above) <= 0.0:
        above = np.nextafter(above, np.inf)
    assert sound._gated(np.array([loud, loud, above])) < -20.0, "a hair over it: kept"


def test_a_block_of_digital_silence_is_measured_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sound._gated(np.array([0.0, power(-30.0), 0.0])) == pytest.approx(-30.0, abs=1e-9)
        assert sound._gated(np.zeros(3)) == float("-inf")


def test_blocks_at_or_under_the_absolute_gate_alone_are_silence():
    edge = exactly_minus_70()
    assert sound._gated(np.array([edge, edge])) == float("-inf")
    assert sound._gated(np.array([power(-70.5), 0.0])) == float("-inf")
    assert sound._gated(np.array([], dtype=np.float64)) == float("-inf")
    assert sound._gated(np.array([power(-69.0)])) == pytest.approx(-69.0, abs=1e-9)
    assert sound._gated(np.array([power(-69.5), power(-70.5)])) == pytest.approx(-69.5, abs=1e-9)
    assert isinstance(sound._gated(np.array([power(-30.0)])), float)


# --- the gates, through the meter on signals whose loudness is worked out by hand -------------------------------
#
# A 1 kHz sine at 22.05 kHz has exactly 100 periods in every 100 ms, the meter's hop: each 100 ms span of it has
# the same K-weighted mean square, and a 400 ms block is the mean of its four spans. Write P for the span power of
# the sine at -20 dBFS. BS.1770 reads a 0 dBFS 1 kHz sine in one channel (mono here: one channel, weight 1) as
# -3.01 LUFS, so the -20 dBFS sine reads L0 = -23.01 (the K filter as designed for 22.05 kHz gives -23.06: within
# 0.1). A sine a dB lower has a span power of P * 10^(-a/10). Blocks start every 100 ms; a signal of T seconds has
# round((T - 0.4) / 0.1) + 1 blocks; where two tones meet on a span edge, three blocks straddle the edge with 3, 2
# and 1 spans of the first tone.

L0 = -23.01  # the -20 dBFS 1 kHz sine, by BS.1770
Q35 = 10 ** (-15 / 10)  # span power of the -35 dBFS sine, in P: 0.0316228 (15 LU under it, between the gates)


def sine(dbfs: float, seconds: float) -> np.ndarray:
    return tone(1000.0, 10 ** (dbfs / 20), seconds)


def quiet(seconds: float) -> np.ndarray:
    return np.zeros(int(RATE * seconds), dtype=np.float32)


def measured(*pieces: np.ndarray) -> float:
    return sound.loudness(np.concatenate(pieces), RATE)


def test_a_1khz_sine_at_minus_20_dbfs_reads_minus_23_01_lufs():
    assert sound.loudness(sine(-20, 10), RATE) == pytest.approx(L0, abs=0.1)


def test_digital_silence_after_speech_is_left_out_by_the_absolute_gate():
    # 10 s of the sine, 30 s of zeros: 397 blocks. 97 all sine (P), 3 straddling (0.75P, 0.5P, 0.25P), 297 zero.
    # Over the absolute gate: the 100 first, mean (97 + 1.5) / 100 P = 0.985 P; the relative gate is at
    # L0 + 10 log10(0.985) - 10 = L0 - 10.07, and 0.25 P (L0 - 6.02) is over it: all 100 kept.
    # Loudness: L0 + 10 log10(0.985) = L0 - 0.066. (Zeros counted: 98.5 / 397 P, L0 - 6.05.)
    alone = sound.loudness(sine(-20, 10), RATE)
    assert measured(sine(-20, 10), quiet(30)) == pytest.approx(L0 - 0.066, abs=0.1)
    assert measured(sine(-20, 10), quiet(30)) - alone == pytest.approx(10 * np.log10(0.985), abs=0.01)


# 10 s at -20 dBFS then 10 s at -35 dBFS: spans 100 of P then 100 of q = Q35 P.
#   blocks 0-96: P; 97: 0.75P + 0.25q = 0.757906P (L0 - 1.20); 98: 0.5P + 0.5q = 0.515811P (L0 - 2.87);
#   99: 0.25P + 0.75q = 0.273717P (L0 - 5.63); 100-196: q (L0 - 15).
# Each block over the absolute gate (L0 - 15 = -38 LUFS > -70): 197 blocks, 97 + 1.547434 + 97 Q35 = 101.6149 P,
# mean 0.515812 P; the relative gate at L0 + 10 log10(0.515812) - 10 = L0 - 12.87 leaves out the q blocks.
# Kept: blocks 0-99, (97 + 1.547434) / 100 P = 0.985474 P: L0 + 10 log10(0.985474) = L0 - 0.0636.
# Without the relative gate all 197 count: 101.6149 / 197 P = 0.515812 P, L0 - 2.875.
BETWEEN_KEPT = 10 * np.log10((97 + 0.757906 + 0.515811 + 0.273717) / 100)  # -0.0636


def test_speech_with_a_stretch_10_to_20_lu_under_it_leaves_the_stretch_out_by_the_relative_gate():
    alone = sound.loudness(sine(-20, 10), RATE)
    got = measured(sine(-20, 10), sine(-35, 10))
    assert got == pytest.approx(L0 - 0.0636, abs=0.1)
    assert got - alone == pytest.approx(BETWEEN_KEPT, abs=0.01)


@pytest.mark.parametrize("pause", ["zeros", "-75 dBFS"])
def test_the_relative_gate_is_worked_out_from_the_blocks_over_the_absolute_gate_only(pause):
    """Speech with long pauses of digital silence (or of a sound under -70 LUFS) must read as the speech alone:
    counting the pauses into the relative gate lowers it, lets in the quiet stretch, and the guide ships loud."""
    # 10 s at -20 dBFS, 10 s at -35 dBFS, 60 s of pause (zeros, or the -75 dBFS sine: L0 - 55 = -78 LUFS, under
    # the absolute gate): 797 blocks. Blocks 0-199 as above, 197-199 straddling q and the pause (0.75q, 0.5q,
    # 0.25q, all over -70), 200-796 the pause, left out by the absolute gate.
    # Over the absolute gate: blocks 0-199, 98.547434 P + (97 + 1.5) Q35 P = 101.6623 P, mean 0.508311 P: the
    # relative gate at L0 + 10 log10(0.508311) - 10 = L0 - 12.94 leaves out every q block, 0.75q (L0 - 16.2) too.
    # Kept: blocks 0-99 again: L0 - 0.0636.
    # Counted over all 797 blocks: 101.6623 / 797 P = 0.127556 P, relative gate L0 - 18.94: the q blocks, 0.75q
    # and 0.5q (L0 - 18.0) are let in, 98.547434 + 98.25 Q35 = 101.6544 P over 199 blocks: L0 - 2.92.
    alone = sound.loudness(sine(-20, 10), RATE)
    got = measured(sine(-20, 10), sine(-35, 10), quiet(60) if pause == "zeros" else sine(-75, 60))
    assert got == pytest.approx(L0 - 0.0636, abs=0.1)
    assert got - alone == pytest.approx(BETWEEN_KEPT, abs=0.01)


def test_a_quiet_stretch_under_minus_70_lufs_is_left_out_even_when_over_the_relative_gate():
    # 10 s at -62 dBFS (P1 = 10^-4.2 P: L1 = L0 - 42 = -65.01), 10 s at -70 dBFS (r = 10^-0.8 P1 = 0.158489 P1:
    # L1 - 8 = -73.01, under the absolute gate). Blocks 0-96: P1; 97: 0.75P1 + 0.25r = 0.789622 P1 (-66.04);
    # 98: 0.579245 P1 (-67.38); 99: 0.368867 P1 (-69.34, still over -70); 100-196: r, left out.
    # Over the absolute gate: blocks 0-99, mean (97 + 1.737734) / 100 P1 = 0.987377 P1; relative gate L1 - 10.06
    # = -75.07, under the r blocks: only the absolute gate leaves them out. Loudness L1 + 10 log10(0.987377)
    # = L0 - 42.055. (With the r blocks: (98.737734 + 97 * 0.158489) / 197 P1, L1 - 2.37.)
    alone = sound.loudness(sine(-20, 10), RATE)
    got = measured(sine(-62, 10), sine(-70, 10))
    assert got == pytest.approx(L0 - 42.055, abs=0.1)
    assert got - alone == pytest.approx(-42 + 10 * np.log10(0.987377), abs=0.01)
