"""The audio guide writer: a script -> step MP3s, the whole guide with ID3 chapters, a playlist and transcripts.

Each step is normalized to -19 LUFS with true peaks at most -1 dBTP measured on the encoded step, on its own,
through the step cache: a step whose sentences, voices and pauses did not change is read back, and none of its
sentences is spoken again. Only the steps to make are spoken (through the speech cache, for an engine whose
sentences are worth keeping), one at a time: a step is made ready while the next is spoken, and its samples are
let go of once it is encoded, so a guide's memory is that of its longest step, not of the guide; a step over
MAX_STEP_SECONDS of speech, or a sentence over MAX_SENTENCE_CHARACTERS, is refused. The whole guide is the step
files' frames joined. Cue and chapter times come from the sentences' lengths and the frames themselves.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

import numpy as np

from ..errors import RenderError
from ..guide import Script
from ..speech import Engine, Voice
from ..speech.cache import SpeechCache
from . import sound
from .steps import ReadyStep, StepCache, make_ready

START_QUIET = 0.75  # seconds before the first word (STANDARDS.md: 0.5-1 s)
STEP_HEAD = 0.5  # a step file starts with this much quiet ...
STEP_TAIL = 1.25  # ... and ends with this much: 1.75 s between steps (1.5-2 s)
END_QUIET = 3.0  # after the last word (1-5 s)
# The longest step a guide may have. A step is one stage of the patient's visit, heard in one go (the shipped
# guides' steps last 10-60 s); one this long is a document read aloud, not a step. It also bounds a guide's
# memory: a step's samples are held while it is made ready (about 0.1 GB for this long, and a few working
# copies of them), and a guide has at most eight steps.
MAX_STEP_SECONDS = 20 * 60
# The longest sentence spoken in one go (the shipped sources' longest is under 200 characters; plain language
# asks for at most 25 words). An engine speaks a sentence whole, so this bounds one sentence's samples as
# MAX_STEP_SECONDS bounds a step's: at the slowest rate and in the densest script (some 1.5 characters a second)
# it lasts under 17 minutes.
MAX_SENTENCE_CHARACTERS = 1500
# Steps are made ready side by side while their samples together last at most this long (the shipped guides'
# steps all are); a longer step is made ready alone, so that a guide's memory is that of its longest step.
SIDE_BY_SIDE_SECONDS = 3 * 60
ENCODER_DELAY = 1105  # samples of lame's encoder and decoder delay at the start of every MP3 (measured here)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass
class Guide:
    """The finished guide: file name -> its bytes in pieces (an ID3 tag, then frames shared between a step's file
    and the whole guide's, which are not copied into one), and what was measured on it."""

    files: dict[str, tuple[bytes, ...]] = field(default_factory=dict)
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
    rate_hz, made = _make_steps(script, to_make, voices, quiet, recipes, engine, rate, cache, rate_hz, loudness,
                                steps, threads)
    if steps is not None:
        steps.count(len(kept) - len(to_make), len(to_make))
    ready = [made.get(index, step) for index, step in enumerate(kept)]
    guide = Guide(true_peak=max(step.true_peak for step in ready))
    offset = 0.0
    total = len(script.steps)
    for step, made_step, (head, pauses) in zip(script.steps, ready, quiet):
        seconds = sound.mp3_frames(made_step.frames).seconds
        guide.chapters.append((step.title, offset, offset + seconds))
        delay = ENCODER_DELAY / rate_hz
        for start, end, text in _marks(step, made_step.lengths, head, pauses, rate_hz):
            guide.cues.append(Cue(offset + delay + start / rate_hz, offset + delay + end / rate_hz, text))
        guide.files[f"{step.stem}.mp3"] = (_tag(_step_tags(tags, step.title, step.number, total)), made_step.frames)
        offset += seconds
    guide.seconds = offset
    guide.lufs = _combined_loudness(ready, [end - start for _, start, end in guide.chapters])
    # the whole guide is the steps' frames joined: the same bytes objects as the step files', not a copy
    whole = (_tag(_guide_tags(tags, guide.chapters)), *(step.frames for step in ready))
    guide.files[f"{script.domain}.mp3"] = whole
    guide.files[f"{script.domain}.m3u8"] = (playlist(script, guide.chapters).encode("utf-8"),)
    guide.files[f"{script.domain}.vtt"] = (webvtt(guide.cues).encode("utf-8"),)
    guide.files[f"{script.domain}.txt"] = (script.text().encode("utf-8"),)
    return guide


def _make_steps(script: Script, indexes: list[int], voices: list[list[Voice]], quiet: list[tuple[float, list[float]]],
                recipes: list[str], engine: Engine, rate: int, cache: SpeechCache, rate_hz: int, loudness: float,
                steps: StepCache | None, threads: int) -> tuple[int, dict[int, ReadyStep]]:
    """The steps at `indexes` spoken one after another, each made ready (normalized, encoded, checked, kept in
    the step cache) while the next is spoken: only the samples of the steps under way are alive, never the
    guide's, so a guide's memory is bounded by its longest step, not by its length. lameenc, libsndfile and numpy
    let go of the GIL while they work, so steps are made ready side by side on `threads` threads (0: one per
    core; the same bytes as one after the other) while their samples together last at most
    SIDE_BY_SIDE_SECONDS: a longer step is made ready alone, while the next is spoken. In a build whose worker
    processes already fill the cores, each has one thread (two in each of two workers bought no time here, and
    cost more system time). Returns the guide's rate and the ready steps by index."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    def ready(signal: np.ndarray, rate_hz: int, recipe: str, sizes: tuple[int, ...]) -> ReadyStep:
        if steps is not None:
            return steps.make(signal, rate_hz, loudness, recipe, sizes)
        return make_ready(signal, rate_hz, loudness, sizes)

    made: dict[int, ReadyStep] = {}
    workers = max(1, min(len(indexes), threads or os.cpu_count() or 1))
    if workers == 1:
        for index in indexes:
            rate_hz, signal, lengths = _speak(script, index, voices[index], quiet[index], engine, rate, cache, rate_hz)
            made[index] = ready(signal, rate_hz, recipes[index], lengths)
            del signal  # before the next step is spoken
        return rate_hz, made
    with ThreadPoolExecutor(max_workers=workers) as pool:
        under_way: dict = {}  # future -> (step index, samples)
        for index in indexes:
            rate_hz, signal, lengths = _speak(script, index, voices[index], quiet[index], engine, rate, cache, rate_hz)
            budget = sound.quiet_samples(SIDE_BY_SIDE_SECONDS, rate_hz)
            while under_way and (len(under_way) >= workers
                                 or sum(size for _, size in under_way.values()) + signal.size > budget):
                done, _ = wait(under_way, return_when=FIRST_COMPLETED)
                for future in done:
                    made[under_way.pop(future)[0]] = future.result()
            under_way[pool.submit(ready, signal, rate_hz, recipes[index], lengths)] = (index, signal.size)
            del signal  # the thread has it
        for future, (index, _) in under_way.items():
            made[index] = future.result()
    return rate_hz, made


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


def _speak(script: Script, index: int, voices: list[Voice], quiet: tuple[float, list[float]], engine: Engine,
           rate: int, cache: SpeechCache, rate_hz: int) -> tuple[int, np.ndarray, tuple[int, ...]]:
    """The step at `index` spoken (through the speech cache) and put together: each line trimmed, at the guide's
    rate (`rate_hz`, or the first sentence's where none is known yet), with its quiet. Returns the rate, the
    step's samples and the length of each sentence in them. A step longer than MAX_STEP_SECONDS is refused as
    soon as its sentences pass that (no more of it is spoken), and a sentence longer than
    MAX_SENTENCE_CHARACTERS before it is spoken."""
    step = script.steps[index]
    head, pauses = quiet
    parts: list[np.ndarray] = []
    lengths = []
    size = 0
    for line, line_voice, pause in zip(step.lines, voices, pauses):
        if len(line.spoken) > MAX_SENTENCE_CHARACTERS:
            raise _too_long(script, step, line.text)
        speech = cache.speak(engine, line_voice, rate, line.spoken)
        rate_hz = rate_hz or speech.rate
        if not parts:
            parts.append(sound.silence(head, rate_hz))
        signal = sound.trim(sound.resample(sound.from_bytes(speech.samples), speech.rate, rate_hz), rate_hz)
        parts += [signal, sound.silence(pause, rate_hz)]
        lengths.append(signal.size)
        size += parts[-2].size + parts[-1].size + (parts[0].size if len(parts) == 3 else 0)
        if size > MAX_STEP_SECONDS * rate_hz:
            raise _too_long(script, step)
    return rate_hz, _joined(parts), tuple(lengths)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The parts one after another, each let go of once it is copied: the step's samples are not held twice."""
    joined = np.empty(sum(part.size for part in parts), dtype=np.float32)
    position = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        joined[position : position + part.size] = part
        position += part.size
    return joined


def _too_long(script: Script, step, sentence: str | None = None) -> RenderError:
    """A step, or one sentence of it, too long to be said: named by the step and the source's sections."""
    sections = ", ".join(step.sections) or "the title and summary"
    where = f"step {step.number} of {len(script.steps)} of the audio guide, \"{step.title}\","
    if sentence is not None:
        return RenderError(
            f"{where} has a sentence of {len(sentence)} characters (\"{' '.join(sentence.split()[:8])} ...\"), too"
            f" long to be said in one go (at most {MAX_SENTENCE_CHARACTERS})",
            hint=f"end its sentences with full stops, in the sections it says: {sections}",
        )
    return RenderError(
        f"{where} would be over {MAX_STEP_SECONDS // 60} minutes of speech, more than a patient can follow as one"
        f" step",
        hint=f"shorten the sections it says: {sections}; the PDF leaflet is not limited",
    )


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


def _tag(tag_frames: list) -> bytes:
    """The ID3v2.4 tag that goes in front of a file's MPEG frames, without padding."""
    from mutagen.id3 import ID3

    tag = ID3()
    for frame in tag_frames:
        tag.add(frame)
    buffer = io.BytesIO()
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
