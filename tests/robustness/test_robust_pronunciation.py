"""Pronunciation lists under the same gate as catalogs, through the real `leaflet` command: an entry that changes
a number or a negation is an error of `leaflet check` and stops the guide, a review covers the list (an edit
makes the locale a draft again), the reviewer reads what is spoken in <domain>.spoken.txt, and a list that
would grow the text without bound is refused quickly."""

from __future__ import annotations

import json
import os
import re
import shutil
import time

from leaflet import wording
from leaflet.catalogs import read_catalog

from conftest import ROOT
from robust import refused, run, snapshot
from test_robust_catalogs import WORDS, Project, pdf_text, squeeze

LIST = ROOT / "translations" / "es" / "pronunciation.toml"
WHERE = "translations/es/pronunciation.toml"
AUDIO = ("short-visit", "es", "audio")


def draft_notice() -> str:
    return read_catalog(WORDS, locale="es").get(wording.DRAFT_NOTICE).string


class Clinic(Project):
    """Project's Spanish short visit, with the shipped Spanish pronunciation list."""

    def __init__(self, root):
        super().__init__(root)
        self.list = self.translations / "es" / "pronunciation.toml"
        shutil.copy(LIST, self.list)
        self.audio = self.out / "short-visit" / "es" / "audio"

    def add(self, *entries: str) -> list[int]:
        """Entries appended to [say] (the last table of the list); their line numbers."""
        lines = self.list.read_text("utf-8").splitlines()
        assert re.fullmatch(r"\[say\]", next(l for l in reversed(lines) if l.startswith("[")))
        self.list.write_text("\n".join(lines + list(entries)) + "\n", "utf-8")
        return list(range(len(lines) + 1, len(lines) + 1 + len(entries)))

    def guide(self, *extra: str):
        return run("build", "short-visit.txt", "-l", "es", "--format", "audio", "-o", "out", "--translations",
                   "translations", *extra, cwd=self.root, timeout=90)

    def status(self) -> dict:
        result = run("status", "--json", "--translations", "translations", cwd=self.root)
        assert result.returncode == 0, result.stderr
        return {row["domain"]: row for row in json.loads(result.stdout)}


def clinic(tmp_path) -> Clinic:
    return Clinic(tmp_path / "clinic")


def failed(result, *needles: str) -> str:
    """A build that made nothing of the guide: exit status 1 and one error line on stderr (beside the warnings
    about the source, which short-visit earns: it has no section on when to get help)."""
    assert result.returncode == 1 and "Traceback" not in result.stderr, result
    errors = [line for line in result.stderr.splitlines() if not line.startswith("leaflet: warning: ")]
    assert len(errors) == 1 and errors[0].startswith("leaflet: error: "), result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def check_lines(result) -> tuple[list[str], list[str]]:
    assert "Traceback" not in result.stdout + result.stderr
    errors = [l for l in result.stdout.splitlines() if ": error: pronunciation " in l]
    warnings = [l for l in result.stdout.splitlines() if ": warning: pronunciation " in l]
    return errors, warnings


def test_a_changed_negation_and_a_changed_number_are_errors_naming_file_line_and_entry(tmp_path):
    project = clinic(tmp_path)
    negation, number = project.add('"Vuelva a casa" = "No vuelva a casa"', '"15" = "ciento cincuenta"')
    result = run("check", "--translations", "translations", cwd=project.root)
    errors, _ = check_lines(result)
    assert result.returncode == 1 and len(errors) == 2, result.stdout
    assert errors[0].startswith(f"{WHERE}:{negation}: error: ") and '"Vuelva a casa = No vuelva a casa"' in errors[0]
    assert "negation" in errors[0]
    assert errors[1].startswith(f"{WHERE}:{number}: error: ") and '"15 = ciento cincuenta"' in errors[1]
    assert "the number 15" in errors[1]
    # the guide asked for is refused before anything is written; the PDF, which the list does not change, is not
    before = snapshot(project.root)
    refused(project.guide(), f"{WHERE}:{negation}: error:", "pronunciation list has 2 errors")
    assert snapshot(project.root) == before


def test_under_allow_incomplete_the_voice_says_the_text_where_an_entry_is_wrong(tmp_path):
    project = clinic(tmp_path)
    project.add('"Vuelva a casa" = "No vuelva a casa"', '"15" = "ciento cincuenta"')
    result = project.guide("--allow-incomplete")
    assert result.returncode == 0, result.stderr
    assert "pronunciation list has 2 errors" in result.stderr
    spoken = (project.audio / "short-visit.spoken.txt").read_text("utf-8")
    assert "No vuelva" not in spoken and "ciento cincuenta" not in spoken
    assert "spoken:  Dura de 10 a 15 minutos." in spoken


def test_a_long_replacement_is_a_warning_and_one_over_the_limit_or_empty_an_error(tmp_path):
    project = clinic(tmp_path)
    long_line, = project.add('"visita" = "' + "visita muy corta y sencilla " * 8 + '"')
    result = run("check", "--translations", "translations", cwd=project.root)
    errors, warnings = check_lines(result)
    assert result.returncode == 0 and not errors
    assert [w for w in warnings if w.startswith(f"{WHERE}:{long_line}: warning: ") and "times as long" in w]
    over, empty = project.add('"rodilla" = "' + "la rodilla " * 50 + '"', '"urgente" = " "')
    errors, _ = check_lines(run("check", "--translations", "translations", cwd=project.root))
    assert len(errors) == 2 and errors[0].startswith(f"{WHERE}:{over}: error: ") and "over the limits" in errors[0]
    assert errors[1].startswith(f"{WHERE}:{empty}: error: ") and "the spoken form is empty" in errors[1]


def test_the_shipped_lists_pass_the_check():
    result = run("check", "--json", cwd=ROOT)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["pronunciation_lists"] == len(list(ROOT.glob("translations/*/pronunciation.toml")))
    findings = [f for f in report["findings"] if f["domain"] == "pronunciation"]
    # the Haitian Creole list says 31-99 in words for a voice that drops the tens: one warning, for the reviewer
    assert [(f["severity"], f["locale"], f["check"]) for f in findings] == [("warning", "ht", "pron-numbers")]


def test_an_edit_to_the_list_after_the_review_makes_the_locale_a_draft_again(tmp_path):
    project = clinic(tmp_path)
    reviewed = run("review", "short-visit.txt", "-l", "es", "--by", "Ana Ruiz", "--date", "2026-11-20",
                   "--translations", "translations", cwd=project.root)
    assert reviewed.returncode == 0, reviewed.stderr
    rows = project.status()
    assert rows["short-visit"]["review"] == "reviewed" and rows["short-visit"]["pronunciation"]["review"] == "reviewed"
    assert project.build().returncode == 0
    assert squeeze(draft_notice()) not in squeeze(pdf_text(project.pdf))

    project.add('"rodilla" = "ro-di-lla"')
    rows = project.status()
    for domain in ("short-visit", "leaflet"):
        assert rows[domain]["review"] == "changed" and rows[domain]["changed"] == "the pronunciation list changed"
    assert rows["short-visit"]["pronunciation"]["review"] == "changed"
    shown = run("status", "--translations", "translations", cwd=project.root).stdout
    assert "draft (changed since the review by Ana Ruiz on 2026-11-20: the pronunciation list changed)" in shown
    assert project.build().returncode == 0  # the PDF is made again: its inputs include the list
    assert squeeze(draft_notice()) in squeeze(pdf_text(project.pdf))
    assert project.guide().returncode == 0
    assert draft_notice() in (project.audio / "short-visit.txt").read_text("utf-8")


def test_the_reviewer_reads_what_is_spoken_and_the_transcript_keeps_what_is_written(tmp_path):
    project = clinic(tmp_path)
    project.add('"rodilla" = "ro-di-lla"')
    result = project.guide()
    assert result.returncode == 0, result.stderr
    spoken = (project.audio / "short-visit.spoken.txt").read_text("utf-8")
    assert "  written: Una visita corta revisa su rodilla.\n  spoken:  Una visita corta revisa su ro-di-lla.\n" in spoken
    assert "  written: Dura 10-15 minutos.\n  spoken:  Dura de 10 a 15 minutos.\n" in spoken
    assert "Pronunciation list: es/pronunciation.toml." in spoken
    assert 'A range is said "de 6 a 8" (6-8).' in spoken  # the catalog's form, heard by the reviewer
    for name in ("short-visit.txt", "short-visit.vtt"):
        transcript = (project.audio / name).read_text("utf-8")
        assert "revisa su rodilla" in transcript and "ro-di-lla" not in transcript and "de 10 a 15" not in transcript
    entries = json.loads((project.out / "manifest.json").read_text("utf-8"))["outputs"]
    assert "short-visit/es/audio/short-visit.spoken.txt" in entries

    # with no list, and no range or phone number in the text (the English stands in for the two new sentences)
    project.list.write_text("[say]\n", "utf-8")
    project.edit(project.root / "short-visit.txt", "It takes 10-15 minutes.", "It takes little time.")
    project.edit(project.root / "short-visit.txt", "Call us on 555 0100 if it hurts, e.g. at night.", "Call us if it hurts.")
    assert project.guide("--allow-incomplete").returncode == 0
    spoken = (project.audio / "short-visit.spoken.txt").read_text("utf-8")
    assert spoken.endswith("Nothing differs: the voice says every sentence as it is written.\n"), spoken


def test_a_list_that_multiplies_the_text_is_refused_quickly(tmp_path):
    """Each entry's spoken form holds the next, shorter, entry's written form 12 times. Replaced entry after entry,
    longest first, as leaflet did, each entry worked on the one before's output: 20 entries would have grown the
    sentence 12**20 times (measured with 5 such entries repeating 40 times: 2.25 billion characters, 70 s and
    2.3 GB before a single sentence was spoken). Read once, the sentence still grows past the bound of a
    sentence: refused, naming the list, in well under a second."""
    project = clinic(tmp_path)
    words = ["Vuelva a casa el mismo día"] + ["q" * (25 - i) for i in range(20)]
    project.add(*(f'"{a}" = "{" ".join([b] * 12)}"' for a, b in zip(words, words[1:])))
    errors, warnings = check_lines(run("check", "--translations", "translations", cwd=project.root))
    assert not errors and len(warnings) == 20  # each is long, none over the limits of an entry
    started = time.monotonic()
    result = project.guide()
    assert time.monotonic() - started < 30
    failed(result, WHERE, "makes a sentence 12 times as long spoken as written")
    assert not (project.audio / "short-visit.mp3").exists()

    # a list over the entry limit, and one over the size limit, are refused by `check` and the build alike
    project.list.write_text("[say]\n" + "".join(f'"w{i:05d}" = "casa"\n' for i in range(2500)), "utf-8")
    refused(project.guide(), "pronunciation list", "2500 entries, more than the 2000")
    project.list.write_text("[say]\n" + "# padding\n" * 30000, "utf-8")
    refused(project.guide(), WHERE, "over 256 kB")
    errors, _ = check_lines(run("check", "--translations", "translations", cwd=project.root))
    assert len(errors) == 1 and "over 256 kB" in errors[0]


def test_a_list_that_is_a_pipe_or_a_folder_is_refused_not_taken_for_no_list(tmp_path):
    """Without its list the voice would read what the list exists to correct ("NSAIDs", a unit): whatever stands at
    pronunciation.toml is read, or refused in one line; a pipe is refused without waiting for a writer."""
    project = clinic(tmp_path)
    project.list.unlink()
    os.mkfifo(project.list)
    refused(project.guide(), WHERE, "not a regular file")
    project.list.unlink()
    project.list.mkdir()
    refused(project.guide(), WHERE, "is a folder")
    assert not project.audio.exists()


def test_an_entry_cannot_reorder_regroup_or_change_a_number_or_a_symbol(tmp_path):
    """Each of these passed with the digits kept in count: "0 1" = "1 0" said the phone 555 0100 as "5 5 5, 1 0 0 0"
    (it matched the digits leaflet spells out), "," = "." said "1,500 mg" as "1.500"."""
    project = clinic(tmp_path)
    lines = project.add('"0 1" = "1 0"', '"0.5" = "5.0"', '"2 500" = "2500"', '"," = "."', '"½" = "two"',
                        '"−5" = "5"', '"1/2" = "2/1"', '"<" = "more than"', '"10²" = "10³"', '"1,500 mg" = "1.500 mg"',
                        '"½ taza" = "dos tazas"')
    errors, _ = check_lines(run("check", "--translations", "translations", cwd=project.root))
    assert [int(e.split(":")[1]) for e in errors] == lines, errors
    refused(project.guide(), "pronunciation list has 11 errors")
    result = project.guide("--allow-incomplete")
    assert result.returncode == 0, result.stderr
    spoken = (project.audio / "short-visit.spoken.txt").read_text("utf-8")
    assert "5 5 5, 0 1 0 0" in spoken and "1 0 0 0" not in spoken


def test_an_entry_with_a_negation_word_is_an_error_even_when_it_keeps_the_count(tmp_path):
    project = clinic(tmp_path)
    lines = project.add('"Do not eat" = "Do not wait, eat"', '"Do not drive" = "Drive, do not walk"',
                        '"No coma" = "Coma, no espere"', '"prohibido comer" = "comer"')
    errors, _ = check_lines(run("check", "--translations", "translations", cwd=project.root))
    assert [int(e.split(":")[1]) for e in errors] == lines, errors
    assert all("how a word is said, not what a sentence says" in e for e in errors)


def test_the_spoken_range_form_is_checked_as_the_voice_uses_it(tmp_path):
    project = clinic(tmp_path)
    good = 'msgstr "de {low} a {high}"'
    for bad in ("de {low} a {low}{high}", "de {low} a {high}0", "no de {low} a {high}"):
        project.words.write_text(WORDS.read_text("utf-8").replace(good, f'msgstr "{bad}"'), "utf-8")
        result = run("check", "--translations", "translations", cwd=project.root)
        errors = [l for l in result.stdout.splitlines() if ": error: " in l]
        assert result.returncode == 1 and len(errors) == 1 and "[spoken]" in errors[0], (bad, result.stdout)


def test_numbers_in_the_english_list_are_an_error(tmp_path):
    project = clinic(tmp_path)
    (project.translations / "en").mkdir()
    (project.translations / "en" / "pronunciation.toml").write_text('[numbers]\n"5" = "nine"\n', "utf-8")
    errors, _ = check_lines(run("check", "-l", "en", "--translations", "translations", cwd=project.root))
    assert len(errors) == 1 and "never reviewed" in errors[0]
    result = run("build", "short-visit.txt", "-l", "en", "--format", "audio", "-o", "out", "--translations",
                 "translations", cwd=project.root, timeout=90)
    assert result.returncode == 1 and "translations/en/pronunciation.toml:2: error:" in result.stderr


def test_check_with_a_locale_checks_the_list_its_guide_uses(tmp_path):
    """pt_BR's guide speaks with pt's list when pt_BR has none: `check -l pt_BR` checks that one."""
    project = clinic(tmp_path)
    (project.translations / "pt").mkdir()
    (project.translations / "pt" / "pronunciation.toml").write_text('[say]\n"Não coma" = "Coma"\n', "utf-8")
    result = run("check", "-l", "pt_BR", "--translations", "translations", cwd=project.root)
    errors, _ = check_lines(result)
    assert result.returncode == 1 and len(errors) == 1 and errors[0].startswith("translations/pt/pronunciation.toml:2:")


def test_the_reviewer_reads_how_a_percentage_is_said_even_in_a_text_without_one(tmp_path):
    project = clinic(tmp_path)
    project.list.write_text('[forms]\npercent = "el {number} por ciento"\n' + project.list.read_text("utf-8"), "utf-8")
    assert project.guide().returncode == 0
    spoken = (project.audio / "short-visit.spoken.txt").read_text("utf-8")
    assert 'A range is said "de 6 a 8" (6-8); a percentage "el 50 por ciento" (50%).' in spoken
