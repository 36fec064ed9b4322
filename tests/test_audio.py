"""The audio guide, checked on what leaflet writes: MP3s decoded, chapters and tags read back with mutagen,
the WebVTT parsed and laid over the decoded sound, loudness measured with pyloudnorm."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from mutagen.id3 import ID3, CTOCFlags

from conftest import FIXTURES, ROOT, SEED
from leaflet.build import AudioOptions, build
from leaflet.catalogs import Layout
from leaflet.config import load
from leaflet.errors import CatalogError, EngineError, LeafletError
from leaflet.guide import script
from leaflet.localize import localize, version_stamp
from leaflet.reader import read
from leaflet.render import sound
from leaflet.speech import spoken
from leaflet.speech.spoken import Rules

TRANSLATIONS = ROOT / "translations"
SHORT = FIXTURES / "audio" / "short-visit.txt"
SEED_STEPS = ["introduction", "before", "arriving", "during", "after", "risks", "options"]
SHIPPED = sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir())


def _espeak_speaks(locale: str) -> bool:
    from leaflet.speech import get

    try:
        get("espeak").voice_for(locale)
    except EngineError:
        return False
    return True


# Every shipped translation the offline voice speaks (all but Filipino, which only gtts speaks).
DRAFT_LOCALES = [locale for locale in SHIPPED if _espeak_speaks(locale)]


# --- reading what was written -------------------------------------------------------------------------------

def decode(path: Path) -> tuple[np.ndarray, int]:
    return sound.decode_mp3(path.read_bytes())


def audio_frames(path: Path) -> bytes:
    """The MPEG frames of a file, without its ID3 tag."""
    data = path.read_bytes()
    if data[:3] == b"ID3":
        size = 0
        for byte in data[6:10]:  # a "syncsafe" integer: 7 bits a byte
            size = size << 7 | (byte & 0x7F)
        data = data[10 + size:]
    return data


_CUE = re.compile(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})")


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    assert text.startswith("WEBVTT\n"), "a WebVTT file starts with WEBVTT"
    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.split("\n")
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        match = _CUE.fullmatch(lines[timing])
        assert match, lines[timing]
        h1, m1, s1, f1, h2, m2, s2, f2 = map(int, match.groups())
        payload = "\n".join(lines[timing + 1:])
        assert payload and "-->" not in payload and "<" not in payload
        payload = html.unescape(payload)  # a cue's text carries &amp; &lt; &gt; for & < >
        cues.append((h1 * 3600 + m1 * 60 + s1 + f1 / 1000, h2 * 3600 + m2 * 60 + s2 + f2 / 1000, payload))
    return cues


def loud_windows(signal: np.ndarray, rate: int, window: float = 0.02, floor_db: float = -40.0) -> np.ndarray:
    """Centres (seconds) of the windows where someone is speaking."""
    size = int(window * rate)
    count = signal.size // size
    rms = np.sqrt(np.mean(signal[: count * size].reshape(count, size) ** 2, axis=1))
    return (np.flatnonzero(20 * np.log10(rms + 1e-12) > floor_db) + 0.5) * window


def guide_dir(out: Path, domain: str, locale: str) -> Path:
    return out / domain / locale / "audio"


@pytest.fixture(scope="module")
def seed_guides(tmp_path_factory):
    """The shipped procedure's guide in English and in every shipped draft translation, built once."""
    out = tmp_path_factory.mktemp("guides")
    report = build([SEED], layout=Layout(TRANSLATIONS), config=load(), out=out, locales=["en", *DRAFT_LOCALES],
                   fmt="audio")
    return out, report


@pytest.fixture(scope="module")
def english(seed_guides):
    out, _ = seed_guides
    return guide_dir(out, "hip-joint-denervation", "en")


# --- the files ------------------------------------------------------------------------------------------------

def test_the_guide_has_the_documented_files(english):
    names = sorted(p.name for p in english.iterdir())
    steps = [f"{n:02d}-{key}.mp3" for n, key in enumerate(SEED_STEPS, start=1)]
    assert names == sorted(steps + [f"hip-joint-denervation.{ext}" for ext in ("mp3", "m3u8", "vtt", "txt", "spoken.txt")])


def test_every_step_file_is_mono_speech_at_64_kbit_and_22_khz(english):
    for path in english.glob("*.mp3"):
        frames = sound.mp3_frames(audio_frames(path))
        assert frames.rate == 22050
        header = int.from_bytes(audio_frames(path)[:4], "big")
        assert (header >> 12) & 15 == 8, "64 kbit/s in the MPEG-2 layer III bit rate table"
        assert (header >> 6) & 3 == 3, "single channel"
        signal, rate = decode(path)
        assert rate == 22050 and signal.size > rate


def test_the_whole_guide_is_the_step_files_joined_not_encoded_again(english):
    steps = sorted(english.glob("[0-9][0-9]-*.mp3"))
    joined = b"".join(audio_frames(p) for p in steps)
    assert audio_frames(english / "hip-joint-denervation.mp3") == joined


# Rates measured on the seed's guides with espeak-ng 1.52 (espeakng-loader 0.2.4) at the patient rate, 135 wpm
# (2026-12-08). The engine gives the same numbers every run; the bands allow 7 % either way. The same guides
# built at --rate 120 and 150 (the ends of STANDARDS.md's 120-140, 150 at most) measure 11 % lower and 10-11 %
# higher, and leave them: a rate not passed to espeak-ng (its default, 175) or applied twice fails by far.
#                        at 100       120          135          150           175 wpm
# English, speaking:     89.6         106.8        120.3        132.9         154.5 words a minute
# English, with pauses:  79.4         92.6         102.6        111.6         126.4
# English, each step:    71.8-84.7    83.0-99.3    91.2-110.5   98.6-120.4    110.3-137.1
# (the bands these replaced, 115-145, 80-135 and 70-140, let 150 and 175 through, and every step of 100 and 175)
MARGIN = 0.07
SPEAKING_WPM, OVERALL_WPM, STEP_WPM = 120.3, 102.6, (91.2, 110.5)
# characters a second while speaking, per shipped translation, at 135 wpm (a script's characters carry more or
# less sound: 3.1 for Chinese, 16.6 for French); at 120 and 150 they were 11 % lower and 10-11 % higher
CHARACTERS_A_SECOND = {"ar": 8.45, "es": 12.57, "fr": 16.61, "hi": 11.39, "ht": 11.41, "ko": 5.21,
                       "pl": 11.48, "pt_BR": 12.31, "ru": 15.18, "vi": 14.44, "zh_Hans": 3.07}


def within(value: float, low: float, high: float | None = None) -> bool:
    """value within MARGIN of the measured number (or of the measured range low-high)."""
    return low * (1 - MARGIN) <= value <= (high if high is not None else low) * (1 + MARGIN)


def test_the_speaking_rate_is_the_patient_rate(english):
    signal, rate = decode(english / "hip-joint-denervation.mp3")
    cues = parse_vtt((english / "hip-joint-denervation.vtt").read_text("utf-8"))
    words = sum(len(text.split()) for _, _, text in cues)
    speaking = sum(end - start for start, end, _ in cues)
    # STANDARDS.md: about 135 words a minute while speaking (120-140, 150 at most); with the pauses, less
    assert within(words / speaking * 60, SPEAKING_WPM), f"{words / speaking * 60:.1f} words a minute speaking"
    overall = words / (signal.size / rate) * 60
    assert within(overall, OVERALL_WPM), f"{overall:.1f} words a minute with the pauses"


def test_every_step_file_lasts_as_long_as_its_words_take_to_say(english):
    blocks = (english / "hip-joint-denervation.txt").read_text("utf-8").strip().split("\n\n")
    steps = sorted(english.glob("[0-9][0-9]-*.mp3"))
    assert len(blocks) == len(steps)
    for block, step in zip(blocks, steps):
        signal, rate = decode(step)
        words = len(block.split())
        # the step's words at the patient rate, plus its pauses (steps with more of them are slower)
        wpm = words / (signal.size / rate) * 60
        assert within(wpm, *STEP_WPM), f"{step.name}: {wpm:.1f} words a minute"


def test_a_slower_rate_makes_a_longer_guide(tmp_path):
    lengths = {}
    for wpm in (100, 160):
        report = build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / str(wpm), locales=["en"],
                       fmt="audio", audio=AudioOptions(rate=wpm))
        lengths[wpm] = report.outputs[0].seconds
    assert lengths[100] > lengths[160] * 1.25


def test_a_rate_outside_the_range_is_refused(tmp_path):
    with pytest.raises(EngineError, match="--rate must be 80 to 220"):
        build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="audio",
              audio=AudioOptions(rate=400))
    assert not any(tmp_path.iterdir())


# --- chapters, tags, playlist -------------------------------------------------------------------------------------

def test_chapters_are_the_steps_in_order_and_cover_the_guide(english):
    tag = ID3(english / "hip-joint-denervation.mp3")
    toc = tag.getall("CTOC")
    assert len(toc) == 1
    assert toc[0].flags & CTOCFlags.TOP_LEVEL and toc[0].flags & CTOCFlags.ORDERED
    chapters = [tag[f"CHAP:{element}"] for element in toc[0].child_element_ids]
    titles = [c.sub_frames["TIT2"].text[0] for c in chapters]
    assert titles == ["About this procedure", "Before your procedure", "When you arrive", "During the procedure",
                      "After the procedure", "Risks, and when to get help", "Your other options"]
    assert chapters[0].start_time == 0
    for before, after in zip(chapters, chapters[1:]):
        assert before.end_time == after.start_time
    steps = sorted(english.glob("[0-9][0-9]-*.mp3"))
    for chapter, step in zip(chapters, steps):
        signal, rate = decode(step)
        assert abs((chapter.end_time - chapter.start_time) / 1000 - signal.size / rate) < 0.002
    signal, rate = decode(english / "hip-joint-denervation.mp3")
    assert abs(chapters[-1].end_time / 1000 - signal.size / rate) < 0.002


def test_tags_name_the_procedure_clinic_language_date_and_version(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # 2025-11-24
    config_file = tmp_path / "leaflet.toml"
    config_file.write_text('[clinic]\nname = "Riverside Pain Clinic"\nphone = "020 7946 0000"\n', "utf-8")
    config = load(config_file)
    report = build([SEED], layout=Layout(TRANSLATIONS), config=config, out=tmp_path / "out", locales=["ru"],
                   fmt="all")
    folder = guide_dir(tmp_path / "out", "hip-joint-denervation", "ru")
    tag = ID3(folder / "hip-joint-denervation.mp3")
    doc = localize(read(SEED), "ru", Layout(TRANSLATIONS))
    assert tag["TIT2"].text == [doc.title]
    assert tag["TPE1"].text == ["Riverside Pain Clinic"] and tag["TPUB"].text == ["Riverside Pain Clinic"]
    assert tag["TLAN"].text == ["rus"]
    assert str(tag["TDRC"].text[0]) == "2025-11-24"
    stamp = tag["TXXX:leaflet version"].text[0]
    assert stamp == version_stamp(doc)
    # the same stamp as the PDF's footer (where the date's spaces do not break)
    pdf = next(o.path for o in report.outputs if o.format == "pdf")
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        footer = " ".join(page.extract_text() for page in document.pages).replace("\u00a0", " ")
    assert " ".join(stamp.split()) in " ".join(footer.split())
    comment = tag.getall("COMM")[0]
    assert comment.lang == "rus" and comment.text[0]
    step = ID3(folder / "02-before.mp3")
    assert step["TRCK"].text == ["2/7"] and step["TALB"].text == [doc.title] and step["TLAN"].text == ["rus"]
    # the guide speaks the clinic's number digit by digit in the risks step
    assert "Riverside Pain Clinic" in (folder / "hip-joint-denervation.txt").read_text("utf-8")


def test_the_playlist_lists_the_steps_with_titles_and_durations(english):
    lines = (english / "hip-joint-denervation.m3u8").read_text("utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    entries = [(lines[i], lines[i + 1]) for i, line in enumerate(lines) if line.startswith("#EXTINF:")]
    assert [name for _, name in entries] == [f"{n:02d}-{k}.mp3" for n, k in enumerate(SEED_STEPS, start=1)]
    for info, name in entries:
        seconds, title = info[len("#EXTINF:"):].split(",", 1)
        signal, rate = decode(english / name)
        assert abs(int(seconds) - signal.size / rate) <= 0.5
        assert title and (english / name).exists()


# --- transcript -----------------------------------------------------------------------------------------------

def test_the_transcript_has_a_cue_per_sentence_in_order_inside_the_guide(english):
    cues = parse_vtt((english / "hip-joint-denervation.vtt").read_text("utf-8"))
    signal, rate = decode(english / "hip-joint-denervation.mp3")
    duration = signal.size / rate
    for start, end, _ in cues:
        assert 0 <= start < end <= duration
    for (_, end, _), (start, _, _) in zip(cues, cues[1:]):
        assert start >= end, "cues in order, never overlapping"
    texts = [text for _, _, text in cues]
    assert texts[0] == "Step 1 of 7: About this procedure"
    assert "Step 2 of 7: Before your procedure" in texts
    # list items are sentences of their own
    assert "Supporting nurses and technicians" in texts
    assert "Reduction in chronic hip pain." in texts
    # a paragraph is split into its sentences, and "e.g." does not end one
    assert "Local anesthesia helps minimize pain." in texts
    assert any(t.startswith("Using imaging guidance (e.g., fluoroscopy") for t in texts)
    script_lines = [l for l in (english / "hip-joint-denervation.txt").read_text("utf-8").splitlines() if l]
    assert texts == script_lines


def test_the_cues_cover_the_speech(english):
    cues = parse_vtt((english / "hip-joint-denervation.vtt").read_text("utf-8"))
    signal, rate = decode(english / "hip-joint-denervation.mp3")
    loud = loud_windows(signal, rate)
    starts = np.array([c[0] for c in cues]) - 0.03
    ends = np.array([c[1] for c in cues]) + 0.03
    inside = np.array([np.any((starts <= t) & (t <= ends)) for t in loud])
    assert loud.size > 1000
    assert inside.mean() > 0.995, f"{(~inside).sum()} windows of speech outside every cue"
    # and the cues are not padded with silence: most of a cue is speech
    covered = sum(np.count_nonzero((loud >= s) & (loud <= e)) * 0.02 for s, e in zip(starts, ends))
    assert covered / sum(e - s for s, e in zip(starts, ends)) > 0.6


def test_pauses_follow_the_standard(english):
    cues = parse_vtt((english / "hip-joint-denervation.vtt").read_text("utf-8"))
    signal, rate = decode(english / "hip-joint-denervation.mp3")
    loud = loud_windows(signal, rate)
    assert 0.5 <= loud[0] <= 1.0, "0.5-1 s of quiet at the start"
    assert 1.0 <= signal.size / rate - loud[-1] <= 5.0, "1-5 s of quiet at the end"
    step_starts = [i for i, (_, _, text) in enumerate(cues) if text.startswith("Step ")]
    for i in step_starts[1:]:
        gap = cues[i][0] - cues[i - 1][1]
        assert 1.5 <= gap <= 2.1, f"{gap:.2f} s between steps"
    inner = [cues[i + 1][0] - cues[i][1] for i in range(len(cues) - 1) if i + 1 not in step_starts]
    assert min(inner) >= 0.5 and max(inner) <= 0.9, "0.5-0.8 s between sentences"


def test_loudness_is_minus_19_lufs_with_true_peaks_below_minus_1_dbtp(english):
    signal, rate = decode(english / "hip-joint-denervation.mp3")
    assert abs(sound.loudness(signal, rate) - (-19.0)) <= 0.5
    assert sound.true_peak(signal, rate) <= -1.0
    import pyloudnorm

    assert abs(pyloudnorm.Meter(rate).integrated_loudness(signal.astype(np.float64)) + 19.0) <= 0.5


def test_every_step_file_played_alone_is_minus_19_lufs_with_true_peaks_below_minus_1_dbtp(seed_guides):
    """Each step is normalized and checked on its own: a patient who plays one step from the playlist hears it
    at the standard loudness too. The guide's loudness in the build's report is the steps' combined (not the
    decoded guide measured again): it agrees with what the decoded guide measures."""
    out, report = seed_guides
    for output in report.outputs:
        for step in sorted(output.path.parent.glob("[0-9][0-9]-*.mp3")):
            signal, rate = decode(step)
            assert abs(sound.loudness(signal, rate) + 19.0) <= 0.5, f"{output.locale} {step.name}"
            assert sound.true_peak(signal, rate) <= -1.0, f"{output.locale} {step.name}"
        signal, rate = decode(output.path)
        assert abs(output.lufs - sound.loudness(signal, rate)) <= 0.05, output.locale

def test_every_shipped_translation_gets_a_normalized_guide_with_its_own_words(seed_guides):
    out, report = seed_guides
    assert sorted(o.locale for o in report.outputs) == sorted(["en", *DRAFT_LOCALES])
    for locale in DRAFT_LOCALES:
        folder = guide_dir(out, "hip-joint-denervation", locale)
        signal, rate = decode(folder / "hip-joint-denervation.mp3")
        assert abs(sound.loudness(signal, rate) + 19.0) <= 0.5, locale
        assert sound.true_peak(signal, rate) <= -1.0, locale
        cues = parse_vtt((folder / "hip-joint-denervation.vtt").read_text("utf-8"))
        speaking = sum(end - start for start, end, _ in cues)
        characters = sum(len(text) for _, _, text in cues)
        assert within(characters / speaking, CHARACTERS_A_SECOND[locale]), \
            f"{locale}: {characters / speaking:.2f} characters a second"
        assert cues[-1][1] <= signal.size / rate
        tag = ID3(folder / "hip-joint-denervation.mp3")
        assert len(tag.getall("CHAP")) == 7, locale
        steps = sorted(folder.glob("[0-9][0-9]-*.mp3"))
        assert len(steps) == 7
        step_seconds = 0.0
        for step in steps:  # every step file decodes, and together they are the guide
            step_signal, step_rate = decode(step)
            assert step_rate == rate and step_signal.size > rate
            step_seconds += step_signal.size / step_rate
        assert abs(step_seconds - signal.size / rate) < 0.01, locale
        doc = localize(read(SEED), locale, Layout(TRANSLATIONS))
        # the first cue is the translation's own announcement, filled here by hand (hi and ko put {total} first);
        # spaces compared as spaces (French typography puts a no-break space before the colon)
        announcement = doc.words.gettext("Step {number} of {total}: {title}")
        assert announcement != "Step {number} of {total}: {title}", f"{locale}: the announcement is translated"
        said = announcement.replace("{number}", "1").replace("{total}", "7")
        said = said.replace("{title}", doc.words.gettext("About this procedure"))
        assert cues[0][2].split() == said.split(), locale
        assert any(doc.title == text for _, _, text in cues), f"{locale}: the procedure's name is said"


# --- the script -----------------------------------------------------------------------------------------------

def test_a_step_whose_sections_are_missing_is_left_out_and_the_numbering_follows(tmp_path):
    build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="audio")
    folder = guide_dir(tmp_path, "short-visit", "en")
    assert sorted(p.name for p in folder.glob("[0-9][0-9]-*.mp3")) == [
        "01-introduction.mp3", "02-arriving.mp3", "03-during.mp3", "04-after.mp3", "05-options.mp3"]
    texts = [t for _, _, t in parse_vtt((folder / "short-visit.vtt").read_text("utf-8"))]
    assert [t for t in texts if t.startswith("Step ")] == [
        "Step 1 of 5: About this procedure", "Step 2 of 5: When you arrive", "Step 3 of 5: During the procedure",
        "Step 4 of 5: After the procedure", "Step 5 of 5: Your other options"]
    assert "This guide has 5 steps." in texts
    # arriving: where, then how long; during: the steps in order
    assert texts.index("Done in the clinic.") < texts.index("It takes 10-15 minutes.")
    assert texts.index("You sit on the bed.") < texts.index("The nurse looks at your knee <and> asks questions & listens.")


def test_transcript_text_is_escaped_for_webvtt(tmp_path):
    build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="audio")
    vtt = (guide_dir(tmp_path, "short-visit", "en") / "short-visit.vtt").read_text("utf-8")
    assert "knee &lt;and&gt; asks questions &amp; listens." in vtt
    assert "<and>" not in vtt


def test_spoken_forms_change_only_what_the_voice_is_given():
    doc = localize(read(SHORT), "en", Layout(TRANSLATIONS))
    rules = spoken.load(TRANSLATIONS, "en")
    lines = [line for step in script(doc, rules, "Example Clinic", "555 0100").steps for line in step.lines]
    by_text = {line.text: line.spoken for line in lines}
    assert by_text["It takes 10-15 minutes."] == "It takes 10 to 15 minutes."
    call = by_text["Call us on 555 0100 if it hurts, e.g. at night."]
    assert "5 5 5, 0 1 0 0" in call and "e.g." not in call
    assert by_text["Go home the same day."] == "Go home the same day."
    assert by_text["Wait and see."] == "Wait and see."


def test_the_range_is_said_in_the_locale_words():
    rules = Rules((), "от {low} до {high}")
    assert spoken.spoken("Не ешьте 6-8 часов.", rules) == "Не ешьте от 6 до 8 часов."
    # a phone number, a date and a code are not ranges
    assert spoken.spoken("555-0100", Rules()) == "5 5 5, 0 1 0 0"
    assert spoken.spoken("on 2026-11-24", Rules()) == "on 2026-11-24"
    assert spoken.spoken("steps 1-2-3", Rules()) == "steps 1-2-3"
    assert spoken.spoken("38°C", Rules((("°C", "degrees Celsius"),))) == "38 degrees Celsius"
    assert spoken.spoken("NSAIDsX and NSAIDs", Rules((("NSAIDs", "N-sayds"),))) == "NSAIDsX and N-sayds"


def test_a_list_that_spells_numbers_out_does_not_break_a_range_or_a_phone_number():
    rules = Rules((("45", "karannsenk"), ("mg", "miligram")), "{low} a {high}")
    assert spoken.spoken("30-45 mg", rules) == "30 a karannsenk miligram"
    assert spoken.spoken("555-0145", rules) == "5 5 5, 0 1 4 5"


def test_a_percentage_can_be_said_with_the_word_first_as_chinese_says_it(tmp_path):
    zh = spoken.load(TRANSLATIONS, "zh_Hans")
    assert spoken.spoken("约50%的患者，0.5％以下。", zh) == "约百分之50的患者，百分之0.5以下。"
    assert spoken.spoken("50% of patients", Rules()) == "50% of patients"  # by default as written
    (tmp_path / "zh_Hans").mkdir()
    (tmp_path / "zh_Hans" / "pronunciation.toml").write_text('[forms]\npercent = "百分之"\n', "utf-8")
    with pytest.raises(CatalogError, match="number"):
        spoken.load(tmp_path, "zh_Hans")


def test_a_sentence_ends_after_a_lowercase_letter_or_a_word_ending_like_an_abbreviation():
    from leaflet.guide import _sentences

    ht = Rules((("pa egz.", "pa egzanp"),))
    assert _sentences("Ou ka santi doulè a. Li pase vit.", ht) == ["Ou ka santi doulè a.", "Li pase vit."]
    assert _sentences("Dr. J. Smith sees you. Then rest.", Rules()) == ["Dr. J. Smith sees you.", "Then rest."]
    fil = Rules((("hal.", "halimbawa"),))
    assert _sentences("Ang gamot ay mahal. Magtanong.", fil) == ["Ang gamot ay mahal.", "Magtanong."]
    assert _sentences("Mga gamot, hal. aspirin.", fil) == ["Mga gamot, hal. aspirin."]
    assert _sentences("Call the hotel. Then rest.", Rules((("tel.", "telephone"),))) == ["Call the hotel.", "Then rest."]
    pt = Rules((("p. ex.", "por exemplo"),))
    assert _sentences("Remédios (p. ex. aspirina). Depois descanse.", pt) == ["Remédios (p. ex. aspirina).", "Depois descanse."]
    assert _sentences("Tome o remédio p. Depois descanse.", pt) == ["Tome o remédio p.", "Depois descanse."]


def test_a_list_item_ending_in_a_bracket_gets_a_full_stop_for_the_voice():
    from leaflet.guide import _voiced

    assert _voiced("Anesthesiologist (if needed)") == "Anesthesiologist (if needed)."
    assert _voiced("Rest (at home).") == "Rest (at home)."
    assert _voiced("Why?") == "Why?"


def test_every_shipped_pronunciation_list_reads(tmp_path):
    lists = sorted(TRANSLATIONS.glob("*/pronunciation.toml"))
    assert lists, "the shipped locales have pronunciation lists"
    for path in lists:
        rules = spoken.load(TRANSLATIONS, path.parent.name)
        assert rules.say, path


def test_a_broken_pronunciation_list_is_one_line_naming_the_file(tmp_path):
    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations)
    (translations / "ru" / "pronunciation.toml").write_text('[say]\n"e.g." = \n', "utf-8")
    with pytest.raises(CatalogError) as caught:
        build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["ru"], fmt="audio")
    assert "pronunciation.toml" in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_draft_guide_says_so_once_in_the_introduction(seed_guides):
    out, _ = seed_guides
    doc = localize(read(SEED), "ru", Layout(TRANSLATIONS))
    notice = doc.words.gettext("Draft translation - not yet checked by a qualified medical translator")
    assert notice != "Draft translation - not yet checked by a qualified medical translator"
    texts = [t for _, _, t in parse_vtt((guide_dir(out, "hip-joint-denervation", "ru") / "hip-joint-denervation.vtt")
                                        .read_text("utf-8"))]
    assert texts.count(notice) == 1
    intro_end = next(i for i, t in enumerate(texts[1:], start=1) if t.startswith(texts[0].split()[0]))
    assert texts.index(notice) < intro_end
    english = [t for _, _, t in parse_vtt((guide_dir(out, "hip-joint-denervation", "en") / "hip-joint-denervation.vtt")
                                          .read_text("utf-8"))]
    assert not any("Draft" in t for t in english)


# --- cache, voices, refusals ----------------------------------------------------------------------------------

def test_a_rebuild_speaks_only_the_step_whose_sentence_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # one date for every build: the tags carry it
    cache = tmp_path / "cache"
    source = tmp_path / "short-visit.txt"
    shutil.copy(SHORT, source)
    options = AudioOptions(cache=cache / "speech")

    def guide(out: str):
        return build([source], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / out, locales=["en"],
                     fmt="audio", audio=options)

    first = guide("a")
    sentences = len(parse_vtt((guide_dir(tmp_path / "a", "short-visit", "en") / "short-visit.vtt").read_text("utf-8")))
    assert (first.synthesized, first.cached, first.steps_encoded) == (sentences, 0, 5) and sentences > 10
    assert not list(cache.rglob("*.flac")), "espeak-ng's sentences are spoken again, not kept"
    again = guide("b")
    # every step is read back whole: not one sentence is spoken
    assert (again.synthesized, again.cached, again.steps_encoded, again.steps_cached) == (0, 0, 0, 5)
    assert (tmp_path / "a/short-visit/en/audio/short-visit.mp3").read_bytes() == \
        (tmp_path / "b/short-visit/en/audio/short-visit.mp3").read_bytes()
    source.write_text(source.read_text("utf-8").replace("Wait and see.", "Wait and watch."), "utf-8")
    changed = guide("c")
    steps = script(localize(read(source), "en", Layout(TRANSLATIONS)), spoken.load(TRANSLATIONS, "en"), "Clinic",
                   "555 0100").steps
    step = next(step for step in steps if any("Wait and watch." in line.text for line in step.lines))
    # the changed step is spoken again whole, and only it; the others are served as they were
    assert (changed.synthesized, changed.steps_encoded, changed.steps_cached) == (len(step.lines), 1, 4)
    before, after = (guide_dir(tmp_path / out, "short-visit", "en") for out in ("a", "c"))
    # (the tags differ in every file: the version stamp names the changed source)
    differ = [p.name for p in sorted(after.glob("0*.mp3")) if audio_frames(p) != audio_frames(before / p.name)]
    assert differ == [f"{step.stem}.mp3"]
    cues = parse_vtt((after / "short-visit.vtt").read_text("utf-8"))
    assert len(cues) == sentences and any(text == "Wait and watch." for _, _, text in cues)
    assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:])), "the cues of the served steps fit the new one"


def test_a_warm_step_cache_gives_the_bytes_a_cold_one_gives(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # one date for the three builds: the tags carry it
    def guide(out: str):
        return build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / out, locales=["en"],
                     fmt="audio", audio=AudioOptions(cache=tmp_path / "cache" / "speech"))

    def files(out: str) -> dict[str, bytes]:
        folder = guide_dir(tmp_path / out, "short-visit", "en")
        return {p.name: p.read_bytes() for p in folder.iterdir()}

    steps = tmp_path / "cache" / "steps"  # beside the speech cache
    cold = guide("cold")
    assert (cold.steps_encoded, cold.steps_cached) == (5, 0) and len(list(steps.rglob("*.mp3step"))) == 5
    warm = guide("warm")
    assert (warm.steps_encoded, warm.steps_cached) == (0, 5) and warm.synthesized == 0
    shutil.rmtree(steps)
    again = guide("again")  # cold again, from the same sentences
    assert (again.steps_encoded, again.steps_cached) == (5, 0)
    assert files("warm") == files("cold") == files("again")
    assert warm.outputs[0].lufs == cold.outputs[0].lufs

def test_a_damaged_cache_entry_is_asked_for_again(tmp_path):
    from leaflet.speech.gtts import GttsEngine

    google = SpeakingGoogle()
    cache = tmp_path / "cache" / "speech"

    def guide(out: str, loudness: float):
        return build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / out, locales=["en"],
                     fmt="audio", audio=AudioOptions(speech=GttsEngine(transport=google), cache=cache,
                                                     loudness=loudness))

    first = guide("a", -19.0)
    entry = sorted(cache.rglob("*.flac"))[0]
    entry.write_bytes(b"fLaC\0\0")
    asked = google.calls
    report = guide("b", -20.0)  # another target: every step is made again, from the kept sentences
    assert (report.synthesized, report.cached, report.steps_encoded) == (1, first.synthesized - 1, 5)
    assert google.calls == asked + 1


def test_stale_step_files_are_removed_when_a_step_goes(tmp_path):
    source = tmp_path / "short-visit.txt"
    shutil.copy(SHORT, source)
    build([source], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "out", locales=["en"], fmt="audio")
    text = source.read_text("utf-8")
    source.write_text(text[: text.index("Alternatives")], "utf-8")
    build([source], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "out", locales=["en"], fmt="audio")
    folder = guide_dir(tmp_path / "out", "short-visit", "en")
    assert sorted(p.name for p in folder.glob("[0-9][0-9]-*.mp3")) == [
        "01-introduction.mp3", "02-arriving.mp3", "03-during.mp3", "04-after.mp3"]


def fil_translations(tmp_path: Path) -> Path:
    """A Filipino catalog (espeak-ng has no Tagalog voice), translated by copying the source."""
    from babel.messages.pofile import read_po, write_po

    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations)
    for domain in ("hip-joint-denervation", "leaflet"):
        with open(translations / f"{domain}.pot", "rb") as handle:
            catalog = read_po(handle, locale="fil")
        for message in catalog:
            if message.id:
                message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        target = translations / "fil" / "LC_MESSAGES" / f"{domain}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            write_po(handle, catalog)
    return translations


def test_a_locale_the_engine_cannot_speak_is_refused_and_its_pdf_still_builds(tmp_path):
    translations = fil_translations(tmp_path)
    report = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["fil", "en"],
                   fmt="all")
    assert report.refused_asked
    assert report.refused == ["fil: no audio guide: espeak-ng has no Filipino (Tagalog) voice (fil) "
                              "(try --engine gtts, which sends the text to Google)"]
    assert (tmp_path / "out/hip-joint-denervation/fil/hip-joint-denervation.pdf").exists()
    assert not (tmp_path / "out/hip-joint-denervation/fil/audio").exists()
    assert (tmp_path / "out/hip-joint-denervation/en/audio/hip-joint-denervation.mp3").exists()
    # not asked by name: the rest of the default build goes on, the missing voice is a warning
    default = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "d", fmt="pdf")
    assert not default.refused


def test_an_unknown_engine_is_refused(tmp_path):
    with pytest.raises(LeafletError, match="no speech engine named 'festival'"):
        build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="audio",
              audio=AudioOptions(engine="festival"))


# --- the online voice, through an injected transport ----------------------------------------------------------

class SpeakingGoogle:
    """A stand-in for Google's service that really speaks: it reads the text from each request, says it with
    espeak-ng and answers with a 24 kHz MP3 in Google's reply format. It counts what it was asked."""

    def __init__(self, fail: Exception | None = None):
        self.fail = fail
        self.calls = 0

    def __call__(self, request, timeout):
        import base64
        import json
        import urllib.parse

        from leaflet.speech.espeak import EspeakEngine
        from leaflet.speech.gtts import Reply

        self.calls += 1
        assert timeout and timeout > 0, "every request has a timeout"
        if self.fail is not None:
            raise self.fail
        rpc = json.loads(urllib.parse.parse_qs(request.body)["f.req"][0])
        text, lang, *_ = json.loads(rpc[0][0][1])
        espeak = EspeakEngine()
        speech = espeak.synthesize(text, espeak.voice_for("en"), 160)
        signal = sound.resample(sound.from_bytes(speech.samples), speech.rate, 24000)
        import lameenc

        encoder = lameenc.Encoder()
        encoder.set_bit_rate(32)
        encoder.set_in_sample_rate(24000)
        encoder.set_out_sample_rate(24000)
        encoder.set_channels(1)
        mp3 = bytes(encoder.encode(sound.to_bytes(signal * 0.5)) + encoder.flush())
        line = json.dumps([["wrb.fr", "jQ1olc", json.dumps([base64.b64encode(mp3).decode()]), None, None, None,
                            "generic"]])
        return Reply(200, f")]}}'\n\n{len(line)}\n{line}\n".encode(), {})


def test_the_gtts_engine_builds_a_guide_and_is_not_asked_again_on_a_rebuild(tmp_path):
    from leaflet.speech.gtts import GttsEngine

    google = SpeakingGoogle()
    options = AudioOptions(speech=GttsEngine(transport=google), cache=tmp_path / "cache")
    report = build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "a", locales=["en"],
                   fmt="audio", audio=options)
    assert any("Google" in note for note in report.notes), "the user is told the text went to Google"
    folder = guide_dir(tmp_path / "a", "short-visit", "en")
    assert sound.mp3_frames(audio_frames(folder / "short-visit.mp3")).rate == 24000
    signal, rate = decode(folder / "short-visit.mp3")
    assert abs(sound.loudness(signal, rate) + 19) <= 0.5 and sound.true_peak(signal, rate) <= -1.0
    cues = parse_vtt((folder / "short-visit.vtt").read_text("utf-8"))
    assert cues[-1][1] <= signal.size / rate and len(cues) == report.synthesized
    asked = google.calls
    assert asked >= report.synthesized
    build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "b", locales=["en"], fmt="audio",
          audio=options)
    assert google.calls == asked, "a rebuild takes every sentence from the cache"


def test_after_one_changed_sentence_google_is_asked_for_that_sentence_only(tmp_path):
    from leaflet.speech.gtts import GttsEngine

    google = SpeakingGoogle()
    source = tmp_path / "short-visit.txt"
    shutil.copy(SHORT, source)

    def guide(out: str):
        return build([source], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / out, locales=["en"],
                     fmt="audio", audio=AudioOptions(speech=GttsEngine(transport=google), cache=tmp_path / "cache"))

    first = guide("a")
    asked = google.calls
    source.write_text(source.read_text("utf-8").replace("Wait and see.", "Wait and watch."), "utf-8")
    changed = guide("b")
    # the changed step is made again from Google's kept sentences and the one new sentence
    assert (changed.synthesized, changed.steps_encoded, changed.steps_cached) == (1, 1, 4)
    assert 1 <= changed.cached < first.synthesized and google.calls == asked + 1


def test_when_google_cannot_be_reached_the_build_stops_cleanly_and_writes_nothing(tmp_path):
    import requests

    from leaflet.speech.gtts import GttsEngine

    google = SpeakingGoogle(fail=requests.ConnectionError("Name or service not known"))
    waits: list[float] = []
    engine = GttsEngine(transport=google, retries=2, backoff=0.5, sleep=waits.append)
    with pytest.raises(EngineError) as caught:
        build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "out", locales=["en"], fmt="all",
              audio=AudioOptions(speech=engine, cache=tmp_path / "cache"))
    message = str(caught.value)
    assert "\n" not in message and "en" in message and "short-visit" in message
    assert google.calls == 3 and waits == [0.5, 1.0]
    assert not (tmp_path / "out").exists(), "not even the PDF: nothing is written until everything is made"


# --- the command line -----------------------------------------------------------------------------------------

def test_build_audio_from_the_command_line(leaflet_cmd, tmp_path):
    result = leaflet_cmd("build", SHORT, "-l", "en", "--format", "audio", "-o", tmp_path / "out", cwd=tmp_path,
                         check=True)
    assert "wrote" in result.stdout and "5 steps" in result.stdout and "espeak en-us" in result.stdout
    assert (guide_dir(tmp_path / "out", "short-visit", "en") / "short-visit.mp3").exists()
    assert not (tmp_path / "out" / "short-visit" / "en" / "short-visit.pdf").exists()


@pytest.mark.parametrize("args, expected", [
    (["--rate", "400"], "--rate must be 80 to 220 words a minute, not 400"),
    (["--engine", "festival"], "no speech engine named 'festival'"),
])
def test_bad_audio_options_are_one_line(leaflet_cmd, tmp_path, args, expected):
    result = leaflet_cmd("build", SHORT, "-l", "en", "--format", "audio", "-o", tmp_path / "out", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_locale_with_no_voice_fails_the_command_but_keeps_its_pdf(leaflet_cmd, tmp_path):
    translations = fil_translations(tmp_path)
    result = leaflet_cmd("build", SEED, "-l", "fil", "--translations", translations, "-o", tmp_path / "out",
                         cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == ["leaflet: error: fil: no audio guide: espeak-ng has no Filipino (Tagalog) voice (fil) "
                      "(try --engine gtts, which sends the text to Google)"]
    pdf = tmp_path / "out/hip-joint-denervation/fil/hip-joint-denervation.pdf"
    with pikepdf.open(pdf) as opened:
        assert len(opened.pages) >= 2, "the whole leaflet, not a page of it"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    doc = localize(read(SEED), "fil", Layout(translations))
    assert text.startswith(doc.title + "\n") and doc.parts[-1].heading in text, text[:200]


def test_voices_lists_every_shipped_locale_with_each_engine(leaflet_cmd, tmp_path):
    result = leaflet_cmd("voices", cwd=tmp_path, check=True)
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    from leaflet.locales import SHIPPED_LOCALES

    assert set(SHIPPED_LOCALES) | {"en"} <= set(rows)
    assert "none: espeak-ng has no Filipino (Tagalog) voice" in rows["fil"]
    assert "none: gTTS has no Haitian Creole voice" in rows["ht"]
    assert " cmn " in rows["zh_Hans"] and "zh-CN" in rows["zh_Hans"]
    assert "pt-br" in rows["pt_BR"] and "com.br" in rows["pt_BR"]


def test_build_help_says_gtts_sends_the_text_to_google(leaflet_cmd, tmp_path):
    result = leaflet_cmd("build", "--help", cwd=tmp_path, check=True)
    assert "sends the text to Google" in " ".join(result.stdout.split())


def test_a_line_with_nothing_to_say_is_not_spoken():
    from leaflet.guide import _Sayer

    lines: list = []
    _Sayer(Rules()).sentence(lines, "* * *")
    _Sayer(Rules()).sentence(lines, "Rest. —")
    assert [line.text for line in lines] == ["Rest."]


def test_english_standing_in_for_a_missing_translation_is_said_by_an_english_voice(tmp_path):
    """--allow-incomplete: the missing messages are printed in English; the guide says them with the English voice
    (a Russian voice reading English would garble them) and marks them in the script."""
    from babel.messages.pofile import read_po, write_po

    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations)
    po = translations / "ru" / "LC_MESSAGES" / "hip-joint-denervation.po"
    with open(po, "rb") as handle:
        catalog = read_po(handle, locale="ru")
    dropped = catalog.get("Local anesthesia is applied to minimize discomfort.", context="procedure")
    dropped.string = ""
    with open(po, "wb") as handle:
        write_po(handle, catalog)
    words = translations / "ru" / "LC_MESSAGES" / "leaflet.po"
    with open(words, "rb") as handle:
        leaflet_catalog = read_po(handle, locale="ru")
    leaflet_catalog.get("Before your procedure").string = ""
    leaflet_catalog.get("This guide has {count} step.").string = ("", "", "")
    with open(words, "wb") as handle:
        write_po(handle, leaflet_catalog)
    doc = localize(read(SEED), "ru", Layout(translations))
    lines = {line.text: line for step in script(doc, spoken.load(translations, "ru"), "Clinic", "555 0100",
                                                  spoken.load(translations, "en")).steps for line in step.lines}
    assert lines["Local anesthesia is applied to minimize discomfort."].lang == "en"
    announcement = next(text for text in lines if "Before your procedure" in text)
    assert lines[announcement].lang is None, "a Russian sentence around an English title stays Russian"
    assert lines[doc.title].lang is None and doc.title != "Denervation of the Hip Joint"
    assert lines["This guide has 7 steps."].lang == "en", "an untranslated phrase of the guide is said in English"
    from leaflet.speech.espeak import EspeakEngine

    class Heard(EspeakEngine):
        """espeak-ng itself, noting which voice said what."""

        said: list[tuple[str, str]] = []

        def synthesize(self, text, voice, rate):
            self.said.append((voice.name, text))
            return super().synthesize(text, voice, rate)

    engine = Heard()
    report = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["ru"],
                   fmt="audio", allow_incomplete=True, audio=AudioOptions(speech=engine, cache=tmp_path / "cache"))
    assert report.outputs[0].missing >= 1
    # the English sentence was said by the English voice, and the Russian voice never said it
    english = "Local anesthesia is applied to minimize discomfort."
    assert [name for name, text in engine.said if text == english] == [engine.voice_for("en").name]
    assert any(name == engine.voice_for("ru").name and text.startswith(doc.title) for name, text in engine.said)


def test_the_cache_key_ignores_the_rate_for_an_engine_that_cannot_set_it():
    from leaflet.speech.cache import SpeechCache
    from leaflet.speech.espeak import EspeakEngine
    from leaflet.speech.gtts import GttsEngine

    store = SpeechCache(Path("/nonexistent"))
    google = GttsEngine(transport=SpeakingGoogle())
    voice = google.voice_for("es")
    assert store.key(google, voice, 100, "Hola.") == store.key(google, voice, 160, "Hola.")
    espeak = EspeakEngine()
    voice = espeak.voice_for("es")
    assert store.key(espeak, voice, 100, "Hola.") != store.key(espeak, voice, 160, "Hola.")


def test_broadcast_loudness_is_an_option(tmp_path):
    report = build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path, locales=["en"], fmt="audio",
                   audio=AudioOptions(loudness=-23.0))
    signal, rate = decode(report.outputs[0].path)
    assert abs(sound.loudness(signal, rate) + 23.0) <= 0.5
    with pytest.raises(LeafletError, match="--loudness must be -24 to -14 LUFS"):
        build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "x", locales=["en"], fmt="audio",
              audio=AudioOptions(loudness=-5.0))
    assert not (tmp_path / "x").exists()


# --- sound ----------------------------------------------------------------------------------------------------

def test_the_limiter_holds_peaks_under_the_ceiling_and_normalize_reaches_the_target():
    rate = 22050
    rng = np.random.default_rng(7)
    t = np.arange(rate * 5) / rate
    speechlike = (0.05 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    speechlike[rng.integers(0, speechlike.size, 40)] = 0.9  # clicks far above the rest
    out = sound.normalize(speechlike, rate, -19.0, -2.5)
    assert abs(sound.loudness(out, rate) + 19.0) < 0.2
    assert np.max(np.abs(out)) <= 10 ** (-2.5 / 20) + 1e-6
    quiet = np.zeros(rate, dtype=np.float32)
    assert np.array_equal(sound.normalize(quiet, rate), quiet), "silence is left alone, not amplified"


def test_frames_are_counted_from_the_headers_and_garbage_is_refused():
    rate = 22050
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(rate * 2) / rate)).astype(np.float32)
    data = sound.encode_mp3(tone, rate)
    frames = sound.mp3_frames(data)
    decoded, decoded_rate = sound.decode_mp3(data)
    assert frames.rate == decoded_rate == rate
    assert frames.count * frames.samples_per_frame == decoded.size
    with pytest.raises(ValueError, match="not an MPEG layer III frame at byte 0"):
        sound.mp3_frames(b"ID3\x04" + data)


# --- the meters and the limiter, against the references they replaced ----------------------------------------

@pytest.fixture(scope="module")
def real_speech() -> tuple[np.ndarray, int]:
    """Twenty-odd seconds of the offline voice reading the seed's kind of sentences (22,050 Hz)."""
    from leaflet.speech.espeak import EspeakEngine

    engine = EspeakEngine()
    text = ("Your doctor uses heat to stop the nerves in your hip from sending pain signals. You lie on your back. "
            "The nurse cleans the skin and puts a small needle in your arm. Tell the team if you feel sharp pain. "
            "Most people go home the same day. Call us on 555 0100 if the pain gets worse at night.")
    speech = engine.synthesize(text, engine.voice_for("en"), 135)
    return sound.from_bytes(speech.samples), speech.rate


def meter_signals(speech: np.ndarray, rate: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    quiet = np.zeros(rate * 6, dtype=np.float32)
    return {
        "speech": speech,
        "noise": (0.1 * rng.standard_normal(rate * 5)).astype(np.float32),
        "sine": (0.3 * np.sin(2 * np.pi * 997 * np.arange(rate * 5) / rate)).astype(np.float32),
        "long silences": np.concatenate([quiet, speech[: rate * 2], quiet, 0.05 * speech[: rate * 3], quiet]),
        "under 400 ms": speech[rate : rate + int(0.3 * rate)],
        "silence": np.zeros(rate * 2, dtype=np.float32),
    }


@pytest.mark.parametrize("rate", [22050, 24000, 48000])
def test_the_loudness_meter_agrees_with_pyloudnorm(real_speech, rate):
    import pyloudnorm

    speech, speech_rate = real_speech
    for name, signal in meter_signals(sound.resample(speech, speech_rate, rate), rate).items():
        padded = np.pad(signal, (0, max(0, rate // 2 - signal.size)))  # as leaflet has always padded short sound
        expected = pyloudnorm.Meter(rate).integrated_loudness(padded.astype(np.float64))
        measured = sound.loudness(signal, rate)
        if name == "silence":
            assert measured == expected == -np.inf
        else:
            assert abs(measured - expected) <= 0.05, f"{name} at {rate} Hz: {measured:.3f} against {expected:.3f}"


def test_the_meter_filters_as_scipy_sosfilt_does_with_or_without_its_compiled_kernel(real_speech, monkeypatch):
    from scipy.signal import sosfilt

    speech, rate = real_speech
    sos = sound._k_weighting(rate)
    start = np.array([[[0.01, -0.02], [0.003, 0.0]]])
    expected, state = sosfilt(sos, speech.astype(np.float64), zi=start[0])
    loudness = sound.loudness(speech, rate)
    for way in ("the compiled kernel", "scipy.signal.sosfilt"):
        signal, carried = speech.astype(np.float64)[np.newaxis], start.copy()
        sound._sosfilt()(sos, signal, carried)
        assert np.allclose(signal[0], expected, rtol=0, atol=1e-12), way
        assert np.allclose(carried[0], state, rtol=0, atol=1e-12), way
        assert sound.loudness(speech, rate) == loudness, way
        sound._sosfilt.cache_clear()
        monkeypatch.setattr(sound, "_scipy_extension", lambda *names: None)  # another scipy: no such module
    sound._sosfilt.cache_clear()
    assert sound._kernel_agrees(lambda sos, x, zi: None) is False  # a kernel that does nothing is not taken


def test_measuring_and_limiting_a_step_does_not_import_scipy_signal(tmp_path):
    # scipy.signal and scipy.ndimage cost 0.8 s in every worker of a build (bench/): the meters and the limiter
    # must keep working without them
    script = """
import sys
import numpy as np
from leaflet.render import sound, steps
t = np.arange(22050 * 3) / 22050
signal = (0.5 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 2 * t))).astype(np.float32)
signal[::5000] = 0.99
ready = steps.make_ready(signal, 22050, -19.0)
assert abs(ready.lufs + 19.0) <= 0.5 and ready.true_peak <= -1.0, (ready.lufs, ready.true_peak)
print(sorted(name for name in sys.modules if name.startswith(("scipy.signal", "scipy.ndimage", "scipy.stats"))
             and name != "scipy.signal._sosfilt"))  # the compiled kernel alone
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_oversampling_filter_is_scipy_firwin():
    from scipy.signal import firwin

    taps = firwin(4 * 20 + 1, 1 / 4, window=("kaiser", 5.0))
    phases = np.stack([taps[phase::4][:20] for phase in (1, 2, 3)], axis=1)[::-1]
    assert np.allclose(sound._oversampling_phases(), phases / phases.sum(axis=0), rtol=0, atol=1e-7)


def whole_signal_limiter(signal: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """The limiter as it was: both filters run over every sample of the signal."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    window = max(3, int(0.005 * rate)) | 1
    wanted = np.minimum(1.0, 10 ** (ceiling_db / 20) / np.maximum(np.abs(signal), 1e-9))
    return (signal * uniform_filter1d(minimum_filter1d(wanted, size=2 * window + 1), size=window)).astype(np.float32)


def limiter_signals(speech: np.ndarray, rate: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    t = np.arange(rate * 5) / rate
    base = (0.05 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)
    clicks, edges, spaced = base.copy(), base.copy(), np.tile(base, 4)
    clicks[rng.integers(0, base.size, 40)] = 0.9
    edges[[0, 1, 57, base.size - 80, base.size - 1]] = [0.95, -0.9, 0.85, -1.0, 0.9]
    position = 1000
    for gap in range(600, 730):  # pairs of peaks at every spacing around where the limiter's stretches merge
        spaced[[position, position + gap]] = 0.9
        position += gap + 2000
    return {
        "speech, 6 dB too loud": speech * np.float32(2.0), "clicks": clicks, "peaks at the ends": edges,
        "peaks at every spacing": spaced, "nothing over": base,
        "everything over": (0.9 * np.sign(rng.standard_normal(rate))).astype(np.float32),
    }


def test_the_limiter_gives_what_the_whole_signal_limiter_gave(real_speech):
    speech, rate = real_speech
    ceiling = 10 ** (-2.5 / 20)
    for name, signal in limiter_signals(speech, rate).items():
        limited = signal.copy()
        changed = sound.limit_in_place(limited, rate, -2.5)
        expected = whole_signal_limiter(signal, rate, -2.5)
        assert np.max(np.abs(limited - expected)) <= 1e-6, name
        assert changed == np.count_nonzero(limited != signal), name
        assert np.max(np.abs(limited)) <= ceiling + 1e-6, name
        assert (changed == 0) == (name == "nothing over"), name


def test_the_limiter_changes_only_what_lies_near_a_peak(real_speech):
    # (how much faster that is, bench/bench_audio.py measures: speed is not asserted by timed tests)
    speech, rate = real_speech
    level = sound.TARGET_LUFS + sound.MP3_LOUDNESS_LOSS - sound.loudness(speech, rate)
    signal = speech * np.float32(10 ** (level / 20))
    ceiling = 10 ** (-2.5 / 20)
    over = np.flatnonzero(np.abs(signal) > ceiling)
    assert over.size, "the test needs peaks above the ceiling"
    limited = signal.copy()
    changed = sound.limit_in_place(limited, rate, -2.5)
    moved = np.flatnonzero(limited != signal)
    assert changed == moved.size and 0 < moved.size < signal.size // 4
    reach = 3 * (max(3, int(0.005 * rate)) | 1)  # the gain's window either side of a peak
    right = np.clip(np.searchsorted(over, moved), 0, over.size - 1)
    left = np.clip(right - 1, 0, over.size - 1)
    nearest = np.minimum(np.abs(over[right] - moved), np.abs(moved - over[left]))
    assert nearest.max() <= reach


def oversampled_everywhere(signal: np.ndarray) -> float:
    """The true peak as resample_poly gives it over the whole signal, with the 81-tap filter leaflet used before."""
    from scipy.signal import resample_poly

    return float(20 * np.log10(np.max(np.abs(resample_poly(signal.astype(np.float64), 4, 1)))))


def every_value_between_samples(signal: np.ndarray) -> float:
    """The meter's own interpolation at every position, not only near the loudest samples."""
    taps = sound._oversampling_phases()
    padded = np.pad(signal.astype(np.float64), (taps.shape[0] // 2 - 1, taps.shape[0] // 2))
    between = max(np.max(np.abs(np.correlate(padded, taps[:, phase], "valid"))) for phase in range(taps.shape[1]))
    return float(20 * np.log10(max(np.max(np.abs(signal)), between)))


def test_the_true_peak_meter_reads_real_signals_as_oversampling_everything_does(real_speech):
    speech, rate = real_speech
    loud = sound.normalize(speech, rate, -18.6, -2.5)
    signals = {"normalized speech": (loud, rate),
               "hard-clipped speech": (np.clip(speech * np.float32(4.0), -0.9, 0.9), rate)}
    for target in (rate, 24000):  # espeak-ng's rate, and gTTS's
        signals[f"the encoded file at {target} Hz"] = sound.decode_mp3(
            sound.encode_mp3(sound.resample(loud, rate, target), target))
    for name, (signal, signal_rate) in signals.items():
        measured, expected = sound.true_peak(signal, signal_rate), oversampled_everywhere(signal)
        assert expected - 0.05 <= measured <= expected + 0.05, f"{name}: {measured:.3f} against {expected:.3f} dBTP"


def test_the_true_peak_meter_looks_everywhere_a_peak_could_be():
    rate = 22050
    rng = np.random.default_rng(2)
    t = np.arange(rate) / rate
    square = np.sign(np.sin(2 * np.pi * rate / 4 * t + np.pi / 4)).astype(np.float32) * 0.5  # +3 dB between samples
    burst = np.zeros(rate, dtype=np.float32)
    burst[5000:5200] = 0.6 * np.sin(2 * np.pi * 0.45 * np.arange(200) + 0.3)  # near Nyquist
    ends = (0.01 * rng.standard_normal(rate)).astype(np.float32)
    ends[[0, 2, -3, -1]] = [0.7, -0.7, 0.7, -0.7]
    clicks = np.zeros(rate, dtype=np.float32)
    clicks[[100, 9000, 9001, 20000]] = [0.5, 0.8, -0.8, 0.79]
    for name, signal in {"square": square, "burst": burst, "ends": ends, "clicks": clicks,
                         "noise": (0.2 * rng.standard_normal(rate)).astype(np.float32)}.items():
        assert abs(sound.true_peak(signal, rate) - every_value_between_samples(signal)) < 1e-4, name
    assert sound.true_peak(np.zeros(100, dtype=np.float32), rate) == -120.0
    assert sound.true_peak(np.zeros(0, dtype=np.float32), rate) == -120.0


def test_the_meters_and_the_limiter_make_no_copy_of_the_signal(real_speech):
    import tracemalloc

    speech, rate = real_speech
    guide = np.tile(speech * np.float32(2.0), 12)
    work = guide.copy()
    sound.loudness(speech, rate)  # scipy imported before measuring
    sound.true_peak(speech, rate)
    for name, run, most in [("loudness", lambda: sound.loudness(guide, rate), 0.1),
                            ("true peak", lambda: sound.true_peak(guide, rate), 0.75),
                            ("limiter", lambda: sound.limit_in_place(work, rate, -2.5), 0.5)]:
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < most * guide.nbytes, f"{name}: {peak / guide.nbytes:.2f} of the signal's size"


def test_normalize_given_the_loudness_gives_what_it_measures_itself(real_speech):
    speech, rate = real_speech
    loud = speech * np.float32(2.0)
    assert np.array_equal(sound.normalize(loud, rate, -18.6, -2.5, sound.loudness(loud, rate)),
                          sound.normalize(loud, rate, -18.6, -2.5))


def test_the_loudness_after_the_limiter_is_measured_again_on_what_it_changed_only(real_speech):
    speech, rate = real_speech
    signals = limiter_signals(speech, rate)
    signals["speech with long silences"] = meter_signals(speech, rate)["long silences"] * np.float32(8.0)
    for name, signal in signals.items():
        meter = sound.measure(signal, rate)
        assert meter.lufs == sound.loudness(signal, rate), name
        for gain in (0.5, 1.0, 3.0):
            changed = signal * np.float32(gain)
            _, stretches = sound._limit(changed, rate, -2.5)
            again = meter.again(changed, float(np.float32(gain)), stretches)
            whole = sound.loudness(changed, rate)
            assert abs(again - whole) <= 1e-6 or again == whole == -np.inf, f"{name} x{gain}: {again} against {whole}"
    short = speech[: rate // 4]  # under one block: padded when measured
    assert sound.measure(short, rate).again(short * np.float32(2.0), 2.0, [(0, short.size)]) == \
        sound.loudness(short * np.float32(2.0), rate)


def test_the_aim_at_half_the_rate_is_close_to_the_meter_and_measures_the_limiter_again_as_itself(real_speech):
    speech, rate = real_speech
    signals = limiter_signals(speech, rate)
    signals["speech"] = speech
    signals["speech with long silences"] = meter_signals(speech, rate)["long silences"] * np.float32(8.0)
    for name, signal in signals.items():
        aim = sound.aim(signal, rate)
        # close on speech; lone clicks are caught or missed by the halving (0.13 LU here), and the encoded step's
        # own measure is what a step ships with
        assert abs(aim.lufs - sound.loudness(signal, rate)) <= (0.03 if "speech" in name else 0.5), name
        for gain in (0.5, 3.0):
            changed = signal * np.float32(gain)
            _, stretches = sound._limit(changed, rate, -2.5)
            again = aim.again(changed, float(np.float32(gain)), stretches)
            assert abs(again - sound.aim(changed, rate).lufs) <= 1e-6, f"{name} x{gain}"
    assert sound.aim(speech, 22050).every == 2 and sound.aim(speech, 11025).every == 1  # 5.5 kHz: too low to halve


def test_normalize_given_the_measure_gives_what_it_gives_given_the_loudness(real_speech):
    speech, rate = real_speech
    loud = speech * np.float32(2.0)
    by_measure = sound.normalize(loud, rate, -18.6, -2.5, sound.measure(loud, rate))
    by_number = sound.normalize(loud, rate, -18.6, -2.5, sound.loudness(loud, rate))
    assert np.max(np.abs(by_measure - by_number)) <= 1e-6


def test_the_real_gtts_transport_without_a_network_stops_the_build_in_one_line_and_writes_nothing(tmp_path,
                                                                                                   monkeypatch):
    """The real transport (requests) to a loopback port where nothing listens, as a machine without a network
    answers: it fails, is retried, and the build stops cleanly. Nothing is sent to Google."""
    import time

    from leaflet.speech.gtts import GttsEngine
    from test_gtts import nothing_listening, to_port

    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)  # straight to the port, not to a proxy
    with nothing_listening() as port:
        engine = GttsEngine(transport=to_port(port), retries=1, backoff=0.05, timeout=3)
        started = time.monotonic()
        with pytest.raises(EngineError) as caught:
            build([SHORT], layout=Layout(TRANSLATIONS), config=load(), out=tmp_path / "out", locales=["en"],
                  fmt="all", audio=AudioOptions(speech=engine, cache=tmp_path / "cache"))
    assert time.monotonic() - started < 30
    message = str(caught.value)
    assert "\n" not in message and "for en" in message and "--engine espeak" in message
    assert "connection refused" in message
    assert not (tmp_path / "out").exists()
    assert not list((tmp_path / "cache").rglob("*.flac")), "nothing half-made is cached"


# --- golden scripts: what the guide says, line by line (`make golden` writes them again after a wanted change)

@pytest.mark.parametrize("source", [SEED, SHORT], ids=["seed", "short-visit"])
def test_the_english_script_matches_its_golden_file(source):
    from golden import GOLDEN, spoken_script

    golden = GOLDEN[source]
    if not golden.exists():
        pytest.fail(f"{golden.relative_to(ROOT)} is missing: make golden writes it (review the script it holds)")
    assert spoken_script(source) == golden.read_text(encoding="utf-8")


_SPEAK_WITH_BUFFER = """
import ctypes, hashlib, sys
sys.path.insert(0, sys.argv[1])
from leaflet.speech import espeak, get
if sys.argv[2] != "ours":
    espeak._BUFFER_MS = int(sys.argv[2])
pieces = [0]
string_at = ctypes.string_at
def counted(*args):
    pieces[0] += 1
    return string_at(*args)
ctypes.string_at = counted
engine = get("espeak")
digest = hashlib.sha256()
for locale, text in [("en", "Do not eat for 6 hours before the procedure."), ("es", "Puede irse a casa el mismo dia."),
                     ("ko", "시술은 약 30분 걸립니다.")]:
    digest.update(engine.synthesize(text, engine.voice_for(locale), 135).samples)
print(digest.hexdigest(), pieces[0])
"""


def test_espeak_gives_the_same_samples_in_fewer_pieces_than_its_default_buffer():
    def speak(buffer_ms: str) -> tuple[str, int]:
        out = subprocess.run([sys.executable, "-c", _SPEAK_WITH_BUFFER, str(ROOT), buffer_ms], capture_output=True,
                             text=True, check=True, timeout=60).stdout.split()
        return out[0], int(out[1])

    default, ours = speak("0"), speak("ours")  # 0: espeak-ng's own default, 60 ms
    assert ours[0] == default[0]
    assert ours[1] * 5 < default[1]


def test_the_encoder_reads_the_samples_array_as_the_same_16_bit_bytes():
    import lameenc

    rate = 22050
    time = np.arange(rate * 2) / rate
    signal = (0.6 * np.sin(2 * np.pi * 440 * time) * np.sin(2 * np.pi * 3 * time)).astype(np.float32)
    signal[100] = 1.5  # clipped to 32767
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(sound.BIT_RATE)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(sound.MP3_QUALITY)
    assert sound.encode_mp3(signal, rate) == bytes(encoder.encode(sound.to_bytes(signal)) + encoder.flush())
    assert sound.pcm16(signal)[100] == 32767 and sound.to_bytes(signal)[200:202] == b"\xff\x7f"


def test_trimming_from_the_ends_cuts_what_comparing_the_whole_signal_cuts(real_speech):
    speech, rate = real_speech

    def whole(signal: np.ndarray, margin: float = 0.03) -> np.ndarray:
        loud = np.flatnonzero(np.abs(signal) > 10 ** (sound.SILENCE_DBFS / 20))
        pad = int(margin * rate)
        return signal[:0] if loud.size == 0 else signal[max(0, loud[0] - pad): min(signal.size, loud[-1] + pad + 1)]

    quiet = np.zeros(rate, dtype=np.float32)
    click = np.zeros(5000, dtype=np.float32)
    click[[0, 4999]] = [-0.5, 0.5]
    one = np.zeros(9000, dtype=np.float32)
    one[4097] = -0.01  # one sample, past two pieces, negative
    cases = {"speech": speech, "quiet around": np.concatenate([quiet, speech[rate: 3 * rate], quiet, quiet]),
             "loud at both ends": click, "one sample": one, "silence": quiet, "empty": quiet[:0],
             "under the threshold": np.full(7000, 0.005, dtype=np.float32)}
    for name, signal in cases.items():
        assert np.array_equal(sound.trim(signal, rate), whole(signal)), name
    assert sound.trim(one, rate).size == 2 * int(0.03 * rate) + 1 and sound.trim(quiet, rate).size == 0


def test_a_step_decodes_from_a_memory_file_as_from_a_python_file_object(tmp_path):
    import io

    import soundfile

    rate = 22050
    time = np.arange(rate * 3) / rate
    mp3 = sound.encode_mp3((0.3 * np.sin(2 * np.pi * 330 * time)).astype(np.float32), rate)
    signal, decoded_rate = sound.decode_mp3(mp3)
    expected, expected_rate = soundfile.read(io.BytesIO(mp3), dtype="float32")
    assert decoded_rate == expected_rate == rate and np.array_equal(signal, expected) and signal.size >= 3 * rate
    with pytest.raises(soundfile.LibsndfileError):
        sound.decode_mp3(b"not an mp3 at all" * 10)


# --- when to get help: the last step, ending with the clinic's number -------------------------------------------

WARNING_SIGNS = "Warning signs\n- A fever of 38 C or higher.\n- Bleeding that does not stop.\n"
PHONE = "020 7946 0000"


def _with_warning(source: Path, folder: Path) -> Path:
    """The procedure with a warning section added at its end, under the same name (so its catalogs apply)."""
    path = folder / source.name
    path.write_text(source.read_text("utf-8").rstrip("\n") + "\n" + WARNING_SIGNS, "utf-8")
    return path


def _script(source: Path, locale: str):
    doc = localize(read(source), locale, Layout(TRANSLATIONS))
    return doc, script(doc, spoken.load(TRANSLATIONS, locale), "Riverside Clinic", PHONE, spoken.load(TRANSLATIONS, "en"))


def test_the_warning_step_comes_last_titled_when_to_get_help_and_its_last_line_is_the_phone_number(tmp_path):
    doc, guide = _script(_with_warning(SEED, tmp_path), "en")
    assert [step.key for step in guide.steps] == [*SEED_STEPS, "warning"]
    last = guide.steps[-1]
    assert last.title == "When to get help" and last.stem == "08-warning"
    assert last.lines[0].text == "Step 8 of 8: When to get help"
    assert [line.text for line in last.lines[1:3]] == ["A fever of 38 C or higher.", "Bleeding that does not stop."]
    assert last.lines[-2].text == "If you have any of these, call Riverside Clinic on this number:"
    assert last.lines[-1].text == PHONE
    assert last.lines[-1].spoken == "0 2 0, 7 9 4 6, 0 0 0 0."  # said digit by digit, as in a sentence
    assert last.lines[-1].lang is None
    assert "This guide has 8 steps." in [line.text for line in guide.steps[0].lines]


def test_the_risks_step_says_what_it_said_before_there_was_a_warning_step(tmp_path):
    _, without = _script(SEED, "en")
    _, warned = _script(_with_warning(SEED, tmp_path), "en")
    before = next(s for s in without.steps if s.key == "risks")
    after = next(s for s in warned.steps if s.key == "risks")
    assert after.lines[0].text == before.lines[0].text.replace("of 7", "of 8")
    assert after.lines[1:] == before.lines[1:]
    assert after.lines[-1].text == "If you are worried after your procedure, call Riverside Clinic on 020 7946 0000."


def test_a_procedure_without_a_warning_section_has_no_warning_step():
    _, guide = _script(SEED, "en")
    assert [step.key for step in guide.steps] == SEED_STEPS
    assert guide.steps[-1].title == "Your other options"
    _, short = _script(SHORT, "en")
    assert "warning" not in [step.key for step in short.steps]


def test_a_spanish_guide_titles_the_warning_step_in_spanish_and_still_ends_with_the_number(tmp_path):
    doc, guide = _script(_with_warning(SEED, tmp_path), "es")
    title = doc.words.gettext("When to get help")
    assert title != "When to get help" and not doc.words.is_fallback("When to get help")
    last = guide.steps[-1]
    assert last.key == "warning" and last.title == title
    assert last.lines[0].text == doc.words.gettext("Step {number} of {total}: {title}").replace(
        "{number}", "8").replace("{total}", "8").replace("{title}", title)
    closing = doc.words.gettext("If you have any of these, call {clinic} on this number:")
    assert closing != "If you have any of these, call {clinic} on this number:"
    assert last.lines[-2].text == closing.replace("{clinic}", "Riverside Clinic") and last.lines[-2].lang is None
    assert last.lines[-1].text == PHONE
    # the signs themselves are not in the Spanish catalog yet: said in English, by an English voice
    assert last.lines[1].text == "A fever of 38 C or higher." and last.lines[1].lang == "en"


def test_an_english_guide_with_warning_signs_ends_with_a_step_that_ends_with_the_number(tmp_path):
    config_file = tmp_path / "leaflet.toml"
    config_file.write_text(f'[clinic]\nname = "Riverside Clinic"\nphone = "{PHONE}"\n', "utf-8")
    source = _with_warning(SHORT, tmp_path)
    build([source], layout=Layout(TRANSLATIONS), config=load(config_file), out=tmp_path / "out", locales=["en"],
          fmt="audio")
    folder = guide_dir(tmp_path / "out", "short-visit", "en")
    steps = sorted(p.name for p in folder.glob("[0-9][0-9]-*.mp3"))
    assert steps == ["01-introduction.mp3", "02-arriving.mp3", "03-during.mp3", "04-after.mp3", "05-options.mp3",
                     "06-warning.mp3"]
    cues = parse_vtt((folder / "short-visit.vtt").read_text("utf-8"))
    texts = [text for _, _, text in cues]
    assert [t for t in texts if t.startswith("Step ")][-1] == "Step 6 of 6: When to get help"
    assert texts[-2:] == ["If you have any of these, call Riverside Clinic on this number:", PHONE]
    assert texts.index("Step 6 of 6: When to get help") < texts.index("Bleeding that does not stop.")
    # nothing is said after the number: every loud moment of the guide lies before the last cue's end
    signal, rate = decode(folder / "short-visit.mp3")
    assert loud_windows(signal, rate)[-1] <= cues[-1][1] + 0.03
    tag = ID3(folder / "short-visit.mp3")
    toc = tag.getall("CTOC")[0]
    chapters = [tag[f"CHAP:{element}"] for element in toc.child_element_ids]
    assert chapters[-1].sub_frames["TIT2"].text[0] == "When to get help"
    playlist = (folder / "short-visit.m3u8").read_text("utf-8").splitlines()
    assert playlist[-1] == "06-warning.mp3"
