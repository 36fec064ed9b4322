"""The audio guide writer: a script -> step MP3s, the whole guide with ID3 chapters, a playlist and transcripts.

Each step is normalized to -19 LUFS with true peaks at most -1 dBTP measured on the encoded step, on its own,
through the step cache: a step whose sentences, voices and pauses did not change is read back, and none of its
sentences is spoken again. Only the steps to make are spoken (through the speech cache, for an engine whose
sentences are worth keeping). The whole guide is the step files' frames joined. Cue and chapter times come from
the sentences' lengths and the frames themselves.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

import numpy as np

from ..guide import Script
from ..speech import Engine, Voice
from ..speech.cache import SpeechCache
from . import sound
from .steps import ReadyStep, StepCache, make_ready

START_QUIET = 0.75  # seconds before the first word (STANDARDS.md: 0.5-1 s)
STEP_HEAD = 0.5  # a step file starts with this much quiet ...
STEP_TAIL = 1.25  # ... and ends with this much: 1.75 s between steps (1.5-2 s)
END_QUIET = 3.0  # after the last word (1-5 s)
ENCODER_DELAY = 1105  # samples of lame's encoder and decoder delay at the start of every MP3 (measured here)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass
class Guide:
    """The finished guide in memory: file name -> bytes, and what was measured on it."""

    files: dict[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0
    lufs: float = 0.0
    true_peak: float = 0.0
    cues: list[Cue] = field(default_factory=list)
    chapters: list[tuple[str, float, float]] = field(default_factory=list)  # (title, start, end) seconds


@dataclass(frozen=True)
class Tags:
    title: str
    clinic: str
    language: str  # ISO 639-2, e.g. "spa"
    date: str  # YYYY-MM-DD
    stamp: str  # the PDF footer's version stamp
    summary: str


def render_guide(
    script: Script, engine: Engine, voice: Voice, rate: int, cache: SpeechCache, tags: Tags,
    other_voices: dict[str, Voice] | None = None, loudness: float = sound.TARGET_LUFS, steps: StepCache | None = None,
    threads: int = 0,
) -> Guide:
    """`other_voices` by language: a line marked lang="en" (English standing in for a missing translation) is
    said by the English voice, not read out by the locale's voice as if it were its own language. `steps`: where
    ready steps are kept (None: every step is made ready anew). `threads`: how many steps are made ready at once
    (0: one per core)."""
    others = other_voices or {}
    voices = [[others.get(line.lang, voice) for line in step.lines] for step in script.steps]
    quiet = [_quiet(script, index) for index in range(len(script.steps))]
    recipes = [_recipe(step, step_voices, step_quiet, engine, rate, cache)
               for step, step_voices, step_quiet in zip(script.steps, voices, quiet)]
    kept = [steps.kept(loudness, recipe) if steps is not None else None for recipe in recipes]
    rate_hz = next((step.rate for step in kept if step is not None), 0)
    # one rate in a guide, and a length for each line (what the cues are timed from)
    kept = [step if step is not None and step.rate == rate_hz and len(step.lengths) == len(script_step.lines)
            else None for step, script_step in zip(kept, script.steps)]
    to_make = [index for index, step in enumerate(kept) if step is None]
    rate_hz, spoken = _speak(script, to_make, voices, quiet, engine, rate, cache, rate_hz)
    made = _ready_steps([signal for signal, _ in spoken], rate_hz, loudness, steps, threads,
                        [recipes[index] for index in to_make], [lengths for _, lengths in spoken])
    del spoken  # the steps' samples are in their frames now
    if steps is not None:
        steps.count(len(kept) - len(to_make), len(to_make))
    ready = list(kept)
    for index, step in zip(to_make, made):
        ready[index] = step
    guide = Guide(true_peak=max(step.true_peak for step in ready))
    offset = 0.0
    total = len(script.steps)
    for step, made_step, (head, pauses) in zip(script.steps, ready, quiet):
        seconds = sound.mp3_frames(made_step.frames).seconds
        guide.chapters.append((step.title, offset, offset + seconds))
        delay = ENCODER_DELAY / rate_hz
        for start, end, text in _marks(step, made_step.lengths, head, pauses, rate_hz):
            guide.cues.append(Cue(offset + delay + start / rate_hz, offset + delay + end / rate_hz, text))
        guide.files[f"{step.stem}.mp3"] = _tagged(made_step.frames, _step_tags(tags, step.title, step.number, total))
        offset += seconds
    guide.seconds = offset
    guide.lufs = _combined_loudness(ready, [end - start for _, start, end in guide.chapters])
    joined = b"".join(step.frames for step in ready)
    guide.files[f"{script.domain}.mp3"] = _tagged(joined, _guide_tags(tags, guide.chapters))
    guide.files[f"{script.domain}.m3u8"] = playlist(script, guide.chapters).encode("utf-8")
    guide.files[f"{script.domain}.vtt"] = webvtt(guide.cues).encode("utf-8")
    guide.files[f"{script.domain}.txt"] = script.text().encode("utf-8")
    return guide


def _ready_steps(signals: list[np.ndarray], rate: int, loudness: float, cache: StepCache | None, threads: int,
                 recipes: list[str], lengths: list[tuple[int, ...]]) -> list[ReadyStep]:
    """Each step normalized, encoded and checked on its own, and kept in the step cache: lameenc, libsndfile
    and numpy let go of the GIL while they work, so the steps share the cores (the same bytes as one after the
    other). In a build whose worker processes already fill the cores, each has one thread (two in each of two
    workers bought no time here, and cost more system time)."""
    from concurrent.futures import ThreadPoolExecutor

    def ready(signal: np.ndarray, recipe: str, sizes: tuple[int, ...]) -> ReadyStep:
        if cache is not None:
            return cache.make(signal, rate, loudness, recipe, sizes)
        return make_ready(signal, rate, loudness, sizes)

    workers = max(1, min(len(signals), threads or os.cpu_count() or 1))
    if workers == 1:
        return [ready(signal, recipe, sizes) for signal, recipe, sizes in zip(signals, recipes, lengths)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(ready, signals, recipes, lengths))


def _combined_loudness(ready: list[ReadyStep], seconds: list[float]) -> float:
    """An estimate of the whole guide's integrated loudness, without decoding the guide again (0.26 s a guide):
    the steps' loudness as a duration-weighted power mean. The gates make it an estimate, not the measure; on
    the shipped guides it is within 0.02 LU of the decoded guide measured (0.011 at most, measured here)."""
    power = sum(length * 10 ** (step.lufs / 10) for step, length in zip(ready, seconds))
    return float(10 * np.log10(power / sum(seconds))) if power > 0 else float("-inf")


def _quiet(script: Script, index: int) -> tuple[float, list[float]]:
    """The quiet before a step's first line, and after each of its lines (seconds)."""
    step = script.steps[index]
    last_step = index == len(script.steps) - 1
    head = START_QUIET if index == 0 else STEP_HEAD
    tail = END_QUIET if last_step else STEP_TAIL
    return head, [tail if number == len(step.lines) - 1 else line.pause for number, line in enumerate(step.lines)]


def _recipe(step, voices: list[Voice], quiet: tuple[float, list[float]], engine: Engine, rate: int,
            cache: SpeechCache) -> str:
    """What a step is made of, without speaking it: each sentence's speech key (engine and its version, voice,
    speaking rate, text) and the quiet after it, the quiet before the first."""
    head, pauses = quiet
    lines = [f"{cache.key(engine, line_voice, rate, line.spoken)} {pause!r}"
             for line, line_voice, pause in zip(step.lines, voices, pauses)]
    return "\n".join([repr(head), *lines])


def _speak(script: Script, indexes: list[int], voices: list[list[Voice]], quiet: list[tuple[float, list[float]]],
           engine: Engine, rate: int, cache: SpeechCache,
           rate_hz: int) -> tuple[int, list[tuple[np.ndarray, tuple[int, ...]]]]:
    """The steps at `indexes` spoken (through the speech cache) and put together: each line trimmed, at the
    guide's rate (`rate_hz`, or the first sentence's where no step is kept yet), with its quiet. Returns the
    rate and, for each step, its samples and the length of each sentence in them."""
    spoken = []
    for index in indexes:
        head, pauses = quiet[index]
        chunks, lengths = [], []
        for line, line_voice in zip(script.steps[index].lines, voices[index]):
            speech = cache.speak(engine, line_voice, rate, line.spoken)
            rate_hz = rate_hz or speech.rate
            signal = sound.trim(sound.resample(sound.from_bytes(speech.samples), speech.rate, rate_hz), rate_hz)
            chunks.append(signal)
            lengths.append(signal.size)
        parts = [sound.silence(head, rate_hz)]
        for signal, pause in zip(chunks, pauses):
            parts += [signal, sound.silence(pause, rate_hz)]
        spoken.append((np.concatenate(parts), tuple(lengths)))
    return rate_hz, spoken


def _marks(step, lengths: tuple[int, ...], head: float, pauses: list[float], rate_hz: int):
    """(start, end, text) of each line with something said, in samples from the step's start."""
    position = sound.quiet_samples(head, rate_hz)
    for line, length, pause in zip(step.lines, lengths, pauses):
        if length:
            yield position, position + length, line.text
        position += length + sound.quiet_samples(pause, rate_hz)


def playlist(script: Script, chapters: list[tuple[str, float, float]]) -> str:
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(script.title)}"]
    for step, (title, start, end) in zip(script.steps, chapters):
        lines.append(f"#EXTINF:{round(end - start)},{_one_line(title)}")
        lines.append(f"{step.stem}.mp3")
    return "\n".join(lines) + "\n"


def webvtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, start=1):
        blocks.append(f"{number}\n{_timestamp(cue.start)} --> {_timestamp(cue.end)}\n{_cue_text(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def _timestamp(seconds: float) -> str:
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def _cue_text(text: str) -> str:
    # a cue's text is parsed for tags and entities, and "-->" or a blank line would end it
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _one_line(text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _step_tags(tags: Tags, title: str, number: int, total: int):
    from mutagen.id3 import TALB, TRCK

    frames = _common_tags(tags, title)
    frames += [TALB(encoding=3, text=tags.title), TRCK(encoding=3, text=f"{number}/{total}")]
    return frames


def _guide_tags(tags: Tags, chapters: list[tuple[str, float, float]]):
    from mutagen.id3 import CHAP, CTOC, TIT2, CTOCFlags

    frames = _common_tags(tags, tags.title)
    ids = [f"chp{n}" for n in range(1, len(chapters) + 1)]
    frames.append(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                       sub_frames=[TIT2(encoding=3, text=tags.title)]))
    for element, (title, start, end) in zip(ids, chapters):
        frames.append(CHAP(element_id=element, start_time=int(round(start * 1000)), end_time=int(round(end * 1000)),
                           sub_frames=[TIT2(encoding=3, text=title)]))
    return frames


def _common_tags(tags: Tags, title: str) -> list:
    from mutagen.id3 import COMM, TCON, TDRC, TIT2, TLAN, TPE1, TPUB, TXXX

    return [
        TIT2(encoding=3, text=title),
        TPE1(encoding=3, text=tags.clinic),
        TPUB(encoding=3, text=tags.clinic),
        TLAN(encoding=3, text=tags.language),
        TDRC(encoding=3, text=tags.date),
        TCON(encoding=3, text="Speech"),
        COMM(encoding=3, lang=tags.language, desc="", text=tags.summary),
        TXXX(encoding=3, desc="leaflet version", text=tags.stamp),
    ]


def _tagged(frames: bytes, tag_frames: list) -> bytes:
    from mutagen.id3 import ID3

    tag = ID3()
    for frame in tag_frames:
        tag.add(frame)
    buffer = io.BytesIO(frames)
    tag.save(buffer, v2_version=4, padding=lambda info: 0)
    return buffer.getvalue()


# ISO 639-2 (terminology) codes for TLAN, from the locale's language.
_ISO639_2 = {
    "ar": "ara", "bn": "ben", "cy": "cym", "de": "deu", "el": "ell", "en": "eng", "es": "spa", "fa": "fas",
    "fil": "fil", "fr": "fra", "gu": "guj", "he": "heb", "hi": "hin", "ht": "hat", "it": "ita", "ja": "jpn",
    "ko": "kor", "nl": "nld", "pa": "pan", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "so": "som",
    "tl": "tgl", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie", "yue": "yue", "zh": "zho",
}


def iso639_2(locale: str) -> str:
    return _ISO639_2.get(locale.split("_")[0], "und")
