"""A damaged step cache: an entry that is not whole and sealed for its key is made again and replaced, never
served, and the guide built from it meets the loudness rules; a step cache that cannot be written costs time,
not the guide.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy
import pytest
import soundfile

from conftest import FIXTURES, ROOT
from leaflet.build import AudioOptions, build
from leaflet.catalogs import Layout
from leaflet.config import load
from leaflet.render import sound
from leaflet.render.steps import StepCache
from leaflet.speech import Speech
from leaflet.speech.cache import _flac, _seal

SHORT = FIXTURES / "audio" / "short-visit.txt"
STEPS = 5  # in the short procedure's guide


def guide(tmp_path: Path):
    """The short procedure's English guide, made again each time, with a speech cache of its own."""
    return build([SHORT], layout=Layout(ROOT / "translations"), config=load(), out=tmp_path / "out", locales=["en"],
                 fmt="audio", audio=AudioOptions(cache=tmp_path / "cache" / "speech"), force=True)


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
    *start, lufs, peak = head.split(b" ")
    return b" ".join([*start, repr(float(lufs) + 6).encode("ascii"), peak]) + b"\n" + frames


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


def test_the_step_key_covers_the_samples_their_rate_and_the_target():
    cache = StepCache(Path("/nonexistent"))
    rate = 22050
    signal = (0.1 * numpy.sin(2 * numpy.pi * 220 * numpy.arange(rate) / rate)).astype(numpy.float32)
    key = cache.key(signal, rate, -19.0)
    assert cache.key(signal.copy(), rate, -19.0) == key
    nudged = signal.copy()
    nudged[rate // 2] = numpy.nextafter(nudged[rate // 2], numpy.float32(1))  # one sample, the least step up
    for other in (cache.key(nudged, rate, -19.0), cache.key(signal, 24000, -19.0), cache.key(signal, rate, -23.0),
                  cache.key(signal[:-1], rate, -19.0)):
        assert other != key


def test_a_step_is_keyed_by_its_sentences_seals_so_a_sentence_with_other_samples_makes_it_again(tmp_path):
    # the step cache keys a step by what it is made of (each sentence's seal: a digest of its samples), not by a
    # digest of the step's own samples: a sentence whose samples change (synthesized again after its entry was
    # lost; espeak-ng does not say a sentence the same way twice) must still make its step again
    first = guide(tmp_path)
    assert first.steps_encoded == STEPS
    made = guide_files(tmp_path)
    entries = sorted((tmp_path / "cache" / "speech").rglob("*.flac"))
    with soundfile.SoundFile(str(entries[0])) as entry:  # one sentence, said a little quieter
        samples, rate = entry.read(dtype="int16"), entry.samplerate
    quieter = (samples // 2).astype("<i2").tobytes()
    key = entries[0].stem
    entries[0].write_bytes(_flac(Speech(quieter, rate, _seal(key, quieter))))
    again = guide(tmp_path)
    assert (again.synthesized, again.steps_encoded, again.steps_cached) == (0, 1, STEPS - 1)
    remade = guide_files(tmp_path)
    assert [name for name in made if made[name] != remade[name]] != []
    assert_loudness_rules(remade)
    assert guide(tmp_path).steps_encoded == 0  # and kept: the same seals make the same key


def test_the_step_key_of_a_recipe_covers_the_recipe_the_rate_and_the_target():
    cache = StepCache(Path("/nonexistent"))
    signal = numpy.zeros(22050, dtype=numpy.float32)
    recipe = "22050\n0.5\nabc 22050 0.6"
    key = cache.key(signal, 22050, -19.0, recipe)
    assert cache.key(signal[:10], 22050, -19.0, recipe) == key  # the samples are not read
    for other in (cache.key(signal, 22050, -19.0, recipe.replace("abc", "abd")), cache.key(signal, 24000, -19.0, recipe),
                  cache.key(signal, 22050, -23.0, recipe), cache.key(signal, 22050, -19.0)):
        assert other != key


@pytest.mark.parametrize("entry", [b"", b"\n", b"leaflet step sha256 \n\xff\xfb", b"leaflet step sha256 x 1 2\nabc"])
def test_an_entry_that_is_no_step_is_not_read(tmp_path, entry):
    from leaflet.render.steps import _read

    path = tmp_path / "entry.mp3step"
    path.write_bytes(entry)
    assert _read(path, "0" * 64) is None
