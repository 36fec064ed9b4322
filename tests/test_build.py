"""The batch build: parallel workers, OUT/manifest.json and what a rebuild makes again, failures, the summary."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po, write_po

from conftest import FIXTURES, LEAFLET, ROOT, SEED, summary
from leaflet.build import AudioOptions, build
from leaflet.catalogs import Layout
from leaflet.config import load
from leaflet.manifest import Manifest, Written

TRANSLATIONS = ROOT / "translations"
SHORT = FIXTURES / "audio" / "short-visit.txt"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working folder with the seed and its shipped Spanish and French catalogs, and its own speech cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEAFLET_CACHE", str(tmp_path / "cache"))
    (tmp_path / "procedures").mkdir()
    shutil.copy(SEED, tmp_path / "procedures" / SEED.name)
    shutil.copy(SHORT, tmp_path / "procedures" / SHORT.name)
    for locale in ("es", "fr"):
        shutil.copytree(TRANSLATIONS / locale, tmp_path / "translations" / locale)
    return tmp_path


def run(*args, cwd: Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(LEAFLET), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]


def times(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def id3_free(data: bytes) -> bytes:
    """The MPEG frames of an MP3 leaflet wrote: what follows its ID3v2 tag (the tag's size is syncsafe)."""
    assert data[:3] == b"ID3"
    return data[10 + sum(byte << (7 * (3 - i)) for i, byte in enumerate(data[6:10])):]


def change_one_message(po: Path, needle: str, new: str) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.id and needle in m.string)
    message.string = message.string.replace(needle, new)
    with po.open("wb") as handle:
        write_po(handle, catalog)


# --- the manifest and the incremental build --------------------------------------------------------------------

def test_the_manifest_records_every_file_with_what_it_was_made_from(project):
    result = run("build", "procedures", "--format", "pdf", "--jobs", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    out = project / "out"
    entries = manifest(out)
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert sorted(entries) == pdfs and len(pdfs) == 2 + 2 + 0  # seed in en, es, fr; short-visit in en only
    for path, entry in entries.items():
        assert set(entry["depends"]) >= {"leaflet", "source", "catalogs", "config", "fonts", "options", "date"}
        assert entry["bytes"] == (out / path).stat().st_size
        with pikepdf.open(out / path) as pdf:
            assert len(pdf.pages) > 0
    assert summary(result.stdout)["built"] == (4, 0)


def test_a_rebuild_with_nothing_changed_makes_nothing(project):
    assert run("build", "procedures", "--format", "pdf", cwd=project).returncode == 0
    before = times(project / "out")
    again = run("build", "procedures", "--format", "pdf", cwd=project)
    assert again.returncode == 0 and "wrote" not in again.stdout
    assert summary(again.stdout) == {"built": (0, 0), "up to date": (4, 0), "refused": (0, 0), "failed": (0, 0)}
    assert times(project / "out") == before


def test_a_changed_spanish_message_remakes_only_the_spanish_outputs_and_speaks_only_its_step(project):
    seed = project / "procedures" / SEED.name
    first = build([seed], layout=Layout(project / "translations"), config=load(), out=project / "out",
                  locales=["en", "es"], fmt="all", audio=AudioOptions(cache=project / "cache"), jobs=2)
    assert sorted((o.locale, o.format) for o in first.outputs) == [("en", "audio"), ("en", "pdf"), ("es", "audio"), ("es", "pdf")]
    assert (first.steps_encoded, first.steps_cached) == (14, 0)  # 7 steps in each guide
    before = times(project / "out")
    spanish = project / "out" / "hip-joint-denervation" / "es" / "audio"
    steps_before = {p.name: id3_free(p.read_bytes()) for p in spanish.glob("[0-9][0-9]-*.mp3")}
    po = project / "translations" / "es" / "LC_MESSAGES" / "hip-joint-denervation.po"
    change_one_message(po, "30", "30 (treinta)")
    again = build([seed], layout=Layout(project / "translations"), config=load(), out=project / "out",
                  locales=["en", "es"], fmt="all", audio=AudioOptions(cache=project / "cache"), jobs=2)
    assert {(o.domain, o.locale, o.format) for o in again.outputs} == {
        ("hip-joint-denervation", "es", "pdf"), ("hip-joint-denervation", "es", "audio")}
    assert len(again.up_to_date) == 2  # the English PDF and guide
    assert (again.steps_encoded, again.steps_cached) == (1, 6)  # only the step that says it is encoded
    from leaflet.guide import script
    from leaflet.localize import localize
    from leaflet.reader import read
    from leaflet.speech import spoken

    translations, config = project / "translations", load()
    steps = script(localize(read(seed), "es", Layout(translations)), spoken.load(translations, "es"), config.clinic,
                   config.phone, spoken.load(translations, "en")).steps
    changed = [step for step in steps if any("30 (treinta)" in line.text for line in step.lines)]
    assert len(changed) == 1 and again.synthesized == len(changed[0].lines) and again.cached == 0  # that step, spoken
    steps_after = {p.name: id3_free(p.read_bytes()) for p in spanish.glob("[0-9][0-9]-*.mp3")}
    # the other steps' sound is byte for byte what it was (their ID3 tags carry the version stamp, whose digest
    # of the inputs covers the catalog, so the tags change with it)
    assert steps_after.keys() == steps_before.keys()
    assert len([name for name in steps_after if steps_after[name] != steps_before[name]]) == 1
    after = times(project / "out")
    changed = {p for p in after if after[p] != before.get(p)} - {"manifest.json"}
    assert changed and all(p.startswith("hip-joint-denervation/es/") for p in changed)
    assert "treinta" in (project / "out" / "hip-joint-denervation" / "es" / "audio" / "hip-joint-denervation.txt").read_text("utf-8")


@pytest.mark.parametrize("change", ["delete", "edit", "force", "font size", "config"])
def test_what_makes_a_pdf_again(project, change):
    out = project / "out"
    assert run("build", "procedures/hip-joint-denervation.txt", "-l", "en", "--format", "pdf", cwd=project).returncode == 0
    pdf = out / "hip-joint-denervation" / "en" / "hip-joint-denervation.pdf"
    args = []
    if change == "delete":
        pdf.unlink()
    elif change == "edit":
        pdf.write_bytes(pdf.read_bytes() + b"\n% edited by hand\n")
    elif change == "force":
        args = ["--force"]
    elif change == "font size":
        args = ["--font-size", "20"]
    else:
        (project / "leaflet.toml").write_text('[clinic]\nname = "Riverside Pain Clinic"\nphone = "020 7946 0000"\nlogo = ""\n')
    again = run("build", "procedures/hip-joint-denervation.txt", "-l", "en", "--format", "pdf", *args, cwd=project)
    assert again.returncode == 0, again.stderr
    assert summary(again.stdout)["built"] == (1, 0), again.stdout
    assert manifest(out)["hip-joint-denervation/en/hip-joint-denervation.pdf"]["bytes"] == pdf.stat().st_size


def test_the_manifest_says_why_an_output_was_made_again(project):
    layout, config = Layout(project / "translations"), load()
    build([SEED], layout=layout, config=config, out=project / "out", locales=["fr"], fmt="pdf")
    before = manifest(project / "out")["hip-joint-denervation/fr/hip-joint-denervation.pdf"]["depends"]
    change_one_message(project / "translations" / "fr" / "LC_MESSAGES" / "leaflet.po", "Page", "Page")  # no change
    (project / "translations" / "fr" / "LC_MESSAGES" / "leaflet.po").write_text(
        (project / "translations" / "fr" / "LC_MESSAGES" / "leaflet.po").read_text("utf-8") + "\n", "utf-8")
    build([SEED], layout=layout, config=config, out=project / "out", locales=["fr"], fmt="pdf")
    after = manifest(project / "out")["hip-joint-denervation/fr/hip-joint-denervation.pdf"]["depends"]
    assert {k for k in before if before[k] != after[k]} == {"catalogs"}


def test_two_saves_into_one_out_keep_each_others_entries(tmp_path):
    first, second = Manifest(tmp_path), Manifest(tmp_path)
    first.record("a", "en", "pdf", "1", {}, [Written("a/en/a.pdf", "x", 1, 1)])
    second.record("b", "en", "pdf", "2", {}, [Written("b/en/b.pdf", "y", 2, 2)])
    first.save()
    second.save()
    assert sorted(manifest(tmp_path)) == ["a/en/a.pdf", "b/en/b.pdf"]


@pytest.mark.parametrize("text", ["", '{"manifest": 1, "outp', '{"manifest": 99, "outputs": {}}', '{"manifest": 1, "outputs": [1, 2]}'])
def test_a_damaged_manifest_means_everything_is_made(project, text):
    (project / "out").mkdir()
    (project / "out" / "manifest.json").write_text(text)
    result = run("build", "procedures", "--format", "pdf", cwd=project)
    assert result.returncode == 0 and summary(result.stdout)["built"] == (4, 0)
    assert len(manifest(project / "out")) == 4


def test_another_programs_manifest_is_never_overwritten(project):
    """Valid JSON without leaflet's mark or shape, or bytes that are not JSON nor begun as leaflet's manifest is
    (tests/robustness/test_robust_out.py has more shapes)."""
    (project / "out").mkdir()
    for text in ("[1, 2]", "{not json"):  # bytes that are not JSON, nor begun as leaflet's manifest begins
        (project / "out" / "manifest.json").write_text(text)
        result = run("build", "procedures", "--format", "pdf", cwd=project)
        assert result.returncode == 1 and "is not leaflet's manifest" in result.stderr
        assert (project / "out" / "manifest.json").read_text() == text


# --- parallel workers ----------------------------------------------------------------------------------------

def test_parallel_and_serial_builds_give_the_same_bytes(project):
    env = {"SOURCE_DATE_EPOCH": "1764000000"}
    assert run("build", "procedures", "--format", "pdf", "--jobs", "1", "-o", "one", cwd=project, env=env).returncode == 0
    assert run("build", "procedures", "--format", "pdf", "--jobs", "2", "-o", "two", cwd=project, env=env).returncode == 0
    one = {p.relative_to(project / "one"): p.read_bytes() for p in (project / "one").rglob("*.pdf")}
    two = {p.relative_to(project / "two"): p.read_bytes() for p in (project / "two").rglob("*.pdf")}
    assert one == two and len(one) == 4


def test_one_failing_leaflet_does_not_stop_the_others(project):
    # a Tibetan syllable: no installed font has it, so that one leaflet cannot be drawn; the others are made
    text = SHORT.read_text("utf-8").replace("You sit on the bed.", "You sit on the bed \u0f00.")
    (project / "procedures" / "odd-letter.txt").write_text(text, "utf-8")
    result = run("build", "procedures", "--format", "pdf", "--jobs", "2", cwd=project)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("leaflet: error: ")]
    assert len(errors) == 1 and "odd-letter.txt" in errors[0] and "Traceback" not in result.stderr
    assert summary(result.stdout)["built"] == (4, 0) and summary(result.stdout)["failed"] == (1, 0)
    assert not (project / "out" / "odd-letter").exists()
    assert "odd-letter/en/odd-letter.pdf" not in manifest(project / "out")


def test_a_default_locale_that_cannot_be_built_is_named_and_the_rest_are_built(project):
    po = project / "translations" / "fr" / "LC_MESSAGES" / "hip-joint-denervation.po"
    assert run("build", "procedures", "--format", "pdf", "-o", "earlier", cwd=project).returncode == 0
    with po.open("rb") as handle:
        catalog = read_po(handle)
    next(m for m in catalog if m.id and m.string).string = ""
    with po.open("wb") as handle:
        write_po(handle, catalog)
    result = run("build", "procedures", "--format", "pdf", "--jobs", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "fr: hip-joint-denervation not built: the catalogs have 1 untranslated and 0 fuzzy messages" in result.stderr
    assert summary(result.stdout) == {"built": (3, 0), "up to date": (0, 0), "refused": (1, 0), "failed": (0, 0)}
    assert not (project / "out" / "hip-joint-denervation" / "fr").exists()
    assert "out of date" not in result.stderr
    # into a folder that holds an earlier French leaflet: it is said to be out of date, not left to pass for new
    again = run("build", "procedures", "--format", "pdf", "-o", "earlier", cwd=project)
    assert "fr: the pdf of hip-joint-denervation in earlier is from an earlier build and out of date" in again.stderr


def test_all_locales_shows_the_whole_matrix(project):
    result = run("build", "procedures", "--format", "pdf", "--all-locales", cwd=project)
    assert result.returncode == 0, result.stderr
    # the short visit has no Spanish or French catalog: refused, named in the summary
    assert summary(result.stdout)["refused"] == (2, 0)
    assert "refused: short-visit es pdf: no es catalog for short-visit" in result.stdout
    assert run("build", "procedures", "--all-locales", "-l", "es", cwd=project).returncode == 1


def test_plain_lines_when_not_on_a_terminal(project):
    result = run("build", "procedures", "--format", "pdf", "--jobs", "2", cwd=project)
    wrote = [line for line in result.stdout.splitlines() if line.startswith("wrote ")]
    assert len(wrote) == 4 and "\x1b[" not in result.stdout + result.stderr
    assert "jobs; peak memory" in result.stdout


def test_jobs_must_be_a_positive_number(project):
    result = run("build", "procedures", "--jobs", "0", cwd=project)
    assert result.returncode == 1 and result.stderr.strip() == "leaflet: error: --jobs must be 1 or more, not 0"
    assert not (project / "out").exists()


def test_an_interrupted_batch_leaves_only_whole_files_and_the_next_build_completes(project):
    for number in range(6):
        shutil.copy(SEED, project / "procedures" / f"copy-{number}.txt")
    process = subprocess.Popen([str(LEAFLET), "build", "procedures", "-l", "en", "--format", "pdf", "--jobs", "2"],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = project / "out"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.rglob("*.pdf"))) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and stderr.strip().splitlines()[-1].startswith("leaflet: interrupted"), stderr
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    entries = manifest(out)
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert 2 <= len(made) < 8 and set(entries) <= set(made)
    for path in made:
        with pikepdf.open(out / path) as pdf:
            assert len(pdf.pages) > 0
    again = run("build", "procedures", "-l", "en", "--format", "pdf", "--jobs", "2", cwd=project)
    assert again.returncode == 0, again.stderr
    built, up_to_date = summary(again.stdout)["built"][0], summary(again.stdout)["up to date"][0]
    assert built + up_to_date == 8 and up_to_date == len(entries)


def test_the_leaflet_template_kept_on_disk_is_the_extracted_one(tmp_path, monkeypatch):
    from leaflet import make
    from leaflet.catalogs import leaflet_template

    def ids(catalog):
        return sorted((m.context or "", str(m.id)) for m in catalog if m.id)

    monkeypatch.setattr(make, "_TEMPLATE", [])
    first = make.leaflet_template_for(tmp_path / "speech")
    kept = list((tmp_path / "templates").glob("leaflet-*.pot"))
    assert len(kept) == 1
    monkeypatch.setattr(make, "_TEMPLATE", [])
    again = make.leaflet_template_for(tmp_path / "speech")  # read back from disk
    assert ids(first) == ids(again) == ids(leaflet_template()) and len(ids(again)) > 30
    kept[0].write_text("msgid \"broken", "utf-8")  # a damaged copy is extracted again
    monkeypatch.setattr(make, "_TEMPLATE", [])
    assert ids(make.leaflet_template_for(tmp_path / "speech")) == ids(first)


def test_the_guides_go_to_the_workers_first_then_the_leaflets_that_are_most_work_to_set():
    # what is left at the end, when one core may wait for the other, should be short
    from leaflet.build import _order
    from leaflet.make import Task

    def task(locale: str, fmt: str) -> Task:
        return Task("seed", SEED, locale, fmt, "", ())

    tasks = [task(locale, fmt) for fmt in ("pdf", "audio") for locale in ("en", "ar", "zh_Hans", "fr", "ko", "hi", "xx")]
    ordered = [(t.format, t.locale) for t in sorted(tasks, key=_order)]
    assert [fmt for fmt, _ in ordered] == ["audio"] * 7 + ["pdf"] * 7
    assert ordered[7:] == [("pdf", "zh_Hans"), ("pdf", "ko"), ("pdf", "ar"), ("pdf", "hi"), ("pdf", "en"), ("pdf", "fr"),
                           ("pdf", "xx")]
