"""A damaged step cache: an entry that is not whole and sealed for its key is made again and replaced, never
served, and the guide built from it meets the loudness rules; a step cache that cannot be written costs time,
not the guide.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from leaflet.build import AudioOptions, build
from leaflet.catalogs import Layout
from leaflet.config import load
from leaflet.render import sound
from leaflet.render.steps import StepCache
from leaflet.seal import Seal, open_cache

SHORT = FIXTURES / "audio" / "short-visit.txt"
STEPS = 5  # in the short procedure's guide


@pytest.fixture(autouse=True)
def one_date(monkeypatch):
    """The guides built here are compared byte for byte, and their tags carry the build's date: without one date
    for every build, two builds on either side of midnight differ."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # 2025-11-24


def guide(tmp_path: Path):
    """The short procedure's English guide, made again each time, with a speech cache of its own."""
    return build([SHORT], layout=Layout(ROOT / "translations"), config=load(), out=tmp_path / "out", locales=["en"],
                 fmt="audio", audio=AudioOptions(cache=tmp_path / "cache" / "speech"), force=True)


def seal(tmp_path: Path) -> Seal:
    """The seal of the cache `guide` uses (its key made on the first build)."""
    return open_cache(tmp_path / "cache" / "speech")


def guide_files(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "out" / "short-visit" / "en" / "audio"
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def assert_loudness_rules(files: dict[str, bytes]) -> None:
    """Every step file and the whole guide decode, at -19 LUFS (within 0.5 LU) with true peaks at most -1 dBTP."""
    mp3s = [name for name in files if name.endswith(".mp3")]
    assert len(mp3s) == STEPS + 1
    for name in mp3s:
        signal, rate = sound.decode_mp3(files[name])
        assert signal.size > rate, name
        assert abs(sound.loudness(signal, rate) + 19.0) <= 0.5, name
        assert sound.true_peak(signal, rate) <= -1.0, name


def edited_measurement(entry: bytes) -> bytes:
    """The entry with its loudness written 6 LU louder: the frames and the seal as they were."""
    head, _, frames = entry.partition(b"\n")
    *start, lufs, peak, rate, lengths = head.split(b" ")
    return b" ".join([*start, repr(float(lufs) + 6).encode("ascii"), peak, rate, lengths]) + b"\n" + frames


def test_damaged_step_cache_entries_are_made_again_and_replaced(tmp_path):
    first = guide(tmp_path)
    made = guide_files(tmp_path)
    entries = sorted((tmp_path / "cache" / "steps").rglob("*.mp3step"))
    assert first.steps_encoded == len(entries) == STEPS
    kept = {entry: entry.read_bytes() for entry in entries}
    truncated, garbage, empty, swapped, edited = entries
    truncated.write_bytes(kept[truncated][: len(kept[truncated]) // 2])
    garbage.write_bytes(os.urandom(len(kept[garbage])))
    empty.write_bytes(b"")
    shutil.copy(edited, swapped)  # whole and sealed, but another step's
    edited.write_bytes(edited_measurement(kept[edited]))
    again = guide(tmp_path)
    assert (again.steps_encoded, again.steps_cached) == (STEPS, 0)  # not one of them served
    for entry in entries:  # each replaced by the step it stands for
        assert entry.read_bytes() == kept[entry], entry.name
    assert guide_files(tmp_path) == made  # the same guide, byte for byte
    assert_loudness_rules(made)
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.name.endswith(".tmp")]
    third = guide(tmp_path)
    assert (third.steps_encoded, third.steps_cached) == (0, STEPS)  # every entry now reads back sealed


def test_a_step_cache_that_cannot_be_written_costs_time_not_the_guide(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "steps").write_text("a file where the step cache's folder goes", "utf-8")
    first = guide(tmp_path)
    made = guide_files(tmp_path)
    again = guide(tmp_path)
    assert (first.steps_encoded, again.steps_encoded, again.steps_cached) == (STEPS, STEPS, 0)
    assert guide_files(tmp_path) == made
    assert_loudness_rules(made)


def test_the_step_key_covers_the_recipe_and_the_target():
    cache = StepCache(Path("/nonexistent"), Seal(bytes(32)))
    recipe = "0.5\nabc 0.6\ndef 1.25"
    key = cache.key(-19.0, recipe)
    assert cache.key(-19.0, str(recipe)) == key
    for other in (cache.key(-19.0, recipe.replace("abc", "abd")), cache.key(-19.0, recipe.replace("0.6", "0.7")),
                  cache.key(-23.0, recipe), cache.key(-19.0, recipe + "\nghi 0.6")):
        assert other != key


def test_a_step_is_keyed_by_what_its_sentences_say_and_the_entry_brings_their_cue_times(tmp_path):
    # the step cache keys a step by its recipe (each sentence's speech key: engine, version, voice, rate, text;
    # the quiet around each), not by its samples: espeak-ng does not say a sentence the same way twice, and a
    # step read back must come with the lengths of the sentences it was made from, or the transcript's cues
    # would be timed for other takes
    first = guide(tmp_path)
    assert first.steps_encoded == STEPS
    made = guide_files(tmp_path)
    again = guide(tmp_path)  # --force: every output written again, every step read back
    assert (again.synthesized, again.steps_encoded, again.steps_cached) == (0, 0, STEPS)
    assert guide_files(tmp_path) == made  # the same transcript and sound, byte for byte
    entries = sorted((tmp_path / "cache" / "steps").rglob("*.mp3step"))
    lengths = [entry.read_bytes().partition(b"\n")[0].split(b" ")[-1] for entry in entries]
    assert all(lengths) and all(int(n) >= 0 for entry in lengths for n in entry.split(b","))


def test_an_entry_from_before_entries_kept_sentence_lengths_is_made_again(tmp_path):
    from leaflet.render.steps import _read

    guide(tmp_path)
    entry = sorted((tmp_path / "cache" / "steps").rglob("*.mp3step"))[0]
    step = _read(entry, entry.stem, seal(tmp_path))
    assert step is not None and step.rate == 22050 and len(step.lengths) >= 1
    # the old layout: loudness and true peak only, sealed as it was then
    from leaflet.render.steps import _SEAL

    old = f"{step.lufs!r} {step.true_peak!r}".encode("ascii")
    mark = seal(tmp_path).of("step", entry.stem, old, step.frames)
    entry.write_bytes(_SEAL + mark + b" " + old + b"\n" + step.frames)
    assert _read(entry, entry.stem, seal(tmp_path)) is None
    assert guide(tmp_path).steps_encoded == 1
    remade = _read(entry, entry.stem, seal(tmp_path))  # spoken again: another take, with its own lengths
    assert remade is not None and remade.rate == step.rate and len(remade.lengths) == len(step.lengths)
    assert_loudness_rules(guide_files(tmp_path))


@pytest.mark.parametrize("entry", [b"", b"\n", b"leaflet step sha256 \n\xff\xfb", b"leaflet step sha256 x 1 2\nabc"])
def test_an_entry_that_is_no_step_is_not_read(tmp_path, entry):
    from leaflet.render.steps import _read

    path = tmp_path / "entry.mp3step"
    path.write_bytes(entry)
    assert _read(path, "0" * 64, Seal(bytes(32))) is None


def test_a_sealed_entry_without_a_length_for_each_line_is_made_again(tmp_path):
    # the cues are timed from the lengths: an entry that cannot time every line is not served, sealed or not
    from dataclasses import replace

    from leaflet.render.steps import _entry, _read

    guide(tmp_path)
    entry = sorted((tmp_path / "cache" / "steps").rglob("*.mp3step"))[0]
    step = _read(entry, entry.stem, seal(tmp_path))
    entry.write_bytes(_entry(seal(tmp_path), entry.stem, replace(step, lengths=step.lengths[:-1])))
    assert _read(entry, entry.stem, seal(tmp_path)) is not None  # whole and sealed
    again = guide(tmp_path)
    assert (again.steps_encoded, again.steps_cached) == (1, STEPS - 1)
    assert len(_read(entry, entry.stem, seal(tmp_path)).lengths) == len(step.lengths)
    assert_loudness_rules(guide_files(tmp_path))
