"""Honest review status: `leaflet review` records a review in the PO header, `leaflet status` shows it, any later
change to a translated message makes the catalog a draft again, and the leaflet says which it is."""

from __future__ import annotations

import json
import re
import shutil

import pdfplumber
import pytest

from leaflet import wording
from leaflet.build import build
from leaflet.catalogs import Layout, read_catalog, serialize
from leaflet.config import load
from leaflet.localize import localize
from leaflet.reader import read
from leaflet.review import fingerprint, review_of

from conftest import ROOT, SEED

DOMAIN = "hip-joint-denervation"


@pytest.fixture
def translations(tmp_path):
    """A copy of the shipped Russian and Spanish catalogs."""
    root = tmp_path / "translations"
    for locale in ("ru", "es"):
        shutil.copytree(ROOT / "translations" / locale, root / locale)
    shutil.copy(ROOT / "translations" / f"{DOMAIN}.pot", root)
    return root


def po(root, locale="ru", domain=DOMAIN):
    return root / locale / "LC_MESSAGES" / f"{domain}.po"


def review(leaflet_cmd, root, *args):
    return leaflet_cmd("review", SEED, "-l", "ru", "--translations", root, *args, cwd=root.parent)


def status(leaflet_cmd, root):
    result = leaflet_cmd("status", "--json", "--translations", root, cwd=root.parent, check=True)
    return {(row["domain"], row["locale"]): row for row in json.loads(result.stdout)}


def test_review_records_reviewer_and_date_in_both_catalogs_and_status_shows_it(leaflet_cmd, translations, msgfmt_check, monkeypatch):
    before = status(leaflet_cmd, translations)
    assert before[(DOMAIN, "ru")]["review"] == "draft" and before[(DOMAIN, "ru")]["reviewed_by"] is None
    result = review(leaflet_cmd, translations, "--by", "Ana Ruiz, CoreCHI", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("reviewed by Ana Ruiz, CoreCHI on 2026-11-20") == 2
    for domain in (DOMAIN, "leaflet"):
        text = po(translations, domain=domain).read_text("utf-8")
        assert '"X-Reviewed-By: Ana Ruiz, CoreCHI\\n"' in text
        assert '"X-Reviewed-Date: 2026-11-20\\n"' in text
        msgfmt_check(po(translations, domain=domain))
    after = status(leaflet_cmd, translations)
    assert after[(DOMAIN, "ru")] | {} == before[(DOMAIN, "ru")] | {
        "review": "reviewed", "reviewed_by": "Ana Ruiz, CoreCHI", "reviewed_date": "2026-11-20",
        "pronunciation": before[(DOMAIN, "ru")]["pronunciation"] | {"review": "reviewed"}}  # the review heard the list
    assert after[(DOMAIN, "es")]["review"] == "draft"
    table = leaflet_cmd("status", "--translations", translations, cwd=translations.parent, check=True).stdout
    assert "reviewed by Ana Ruiz, CoreCHI on 2026-11-20" in table and "draft" in table


def test_a_later_change_to_a_translated_message_returns_the_catalog_to_draft(leaflet_cmd, translations):
    review(leaflet_cmd, translations, "--by", "Ana Ruiz")
    path = po(translations)
    catalog = read_catalog(path)
    assert review_of(catalog).reviewed
    # a comment, the order of entries or an obsolete entry is no change to what the patient reads
    catalog_text = path.read_text("utf-8").replace("#. Summary", "#. Summary (checked)", 1)
    path.write_text(catalog_text, "utf-8")
    assert status(leaflet_cmd, translations)[(DOMAIN, "ru")]["review"] == "reviewed"
    # one word of one translation changed, as a translator's editor would save it
    lines = catalog_text.split("\n")
    at = next(n for n, line in enumerate(lines) if n > 20 and re.fullmatch(r'msgstr ".+\."', line))
    lines[at] = lines[at][:-2] + ' сегодня."'
    path.write_text("\n".join(lines), "utf-8")
    row = status(leaflet_cmd, translations)[(DOMAIN, "ru")]
    assert row["review"] == "changed" and row["reviewed_by"] == "Ana Ruiz"
    table = leaflet_cmd("status", "--translations", translations, cwd=translations.parent, check=True).stdout
    assert "draft (changed since the review by Ana Ruiz on " in table
    doc = localize(read(SEED), "ru", Layout(translations))
    assert doc.draft


def test_a_message_turned_fuzzy_by_an_update_returns_the_catalog_to_draft(translations):
    path = po(translations)
    catalog = read_catalog(path)
    before = fingerprint(catalog)
    message = next(m for m in catalog if m.id and m.context == "recovery")
    message.flags.add("fuzzy")
    assert fingerprint(catalog) != before


def test_the_review_survives_leaflet_update_which_babel_alone_would_drop(leaflet_cmd, translations, tmp_path):
    review(leaflet_cmd, translations, "--by", "Ana Ruiz", "--date", "2026-11-20")
    path = po(translations)
    path.write_text(path.read_text("utf-8").replace('"X-Reviewed-Date', '"X-Generator: Poedit 3.4\\n"\n"X-Reviewed-Date'), "utf-8")
    result = leaflet_cmd("update", SEED, "--translations", translations, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = path.read_text("utf-8")
    assert "X-Reviewed-By: Ana Ruiz" in text and "X-Generator: Poedit 3.4" in text
    assert status(leaflet_cmd, translations)[(DOMAIN, "ru")]["review"] == "reviewed"
    # and the same through the library's writer
    assert b"X-Generator: Poedit 3.4" in serialize(read_catalog(path), document=True)


def test_a_review_is_refused_for_an_unfinished_catalog_and_nothing_is_written(leaflet_cmd, translations):
    path = po(translations)
    text = path.read_text("utf-8")
    catalog = read_catalog(path)
    message = next(m for m in catalog if m.id and m.context == "benefits")
    path.write_text(text.replace(f'msgstr "{message.string}"', 'msgstr ""', 1) if f'msgstr "{message.string}"' in text
                    else text.replace("#. Benefits", "#, fuzzy\n#. Benefits", 1), "utf-8")
    unfinished = path.read_bytes()
    leaflet_before = po(translations, domain="leaflet").read_bytes()
    result = review(leaflet_cmd, translations, "--by", "Ana Ruiz")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "cannot record a review" in result.stderr
    assert path.read_bytes() == unfinished and po(translations, domain="leaflet").read_bytes() == leaflet_before


def test_a_review_is_refused_while_check_finds_an_error(leaflet_cmd, translations):
    path = po(translations)
    text = path.read_text("utf-8")
    at = text.rindex("6-8")  # in the translation, which follows its source
    assert text.rindex("msgstr", 0, at) > text.rindex("msgid", 0, at)
    path.write_text(text[:at] + "6-9" + text[at + 3:], "utf-8")
    result = review(leaflet_cmd, translations, "--by", "Ana Ruiz")
    assert result.returncode == 1 and "leaflet check" in result.stderr and "8" in result.stderr
    assert "X-Reviewed" not in path.read_text("utf-8")


@pytest.mark.parametrize(
    "args, says",
    [
        (["--by", "  "], "reviewer's name"),
        (["--by", "Ana\nX-Evil: 1"], "control characters"),
        (["--by", "A" + "\u0301" * 10], "combining marks on one letter"),  # drawn as a line down the footer
        (["--by", "\u3164\u3164"], "nothing visible"),  # Hangul fillers: a blank name on the leaflet
        (["--by", "Ana", "--date", "20/11/2026"], "YYYY-MM-DD"),
        (["--by", "Ana", "--date", "2026-02-30"], "not a real date"),
        (["--by", "Ana", "--date", "2999-01-01"], "future"),
    ],
)
def test_a_bad_reviewer_or_date_is_refused_in_one_line(leaflet_cmd, translations, args, says):
    result = review(leaflet_cmd, translations, *args)
    assert result.returncode == 1 and says in result.stderr and result.stderr.count("\n") == 1
    assert "X-Reviewed" not in po(translations).read_text("utf-8")


def test_a_po_file_can_be_reviewed_alone_but_not_under_another_locale(leaflet_cmd, translations):
    leaflet_po = po(translations, domain="leaflet")
    ok = leaflet_cmd("review", leaflet_po, "-l", "ru", "--by", "Ana Ruiz", "--translations", translations, cwd=translations.parent)
    assert ok.returncode == 0, ok.stderr
    assert "X-Reviewed-By: Ana Ruiz" in leaflet_po.read_text("utf-8")
    assert "X-Reviewed" not in po(translations).read_text("utf-8")
    wrong = leaflet_cmd("review", leaflet_po, "-l", "es", "--by", "Ana Ruiz", "--translations", translations, cwd=translations.parent)
    assert wrong.returncode == 1 and "not es" in wrong.stderr


def test_the_draft_line_is_on_a_draft_leaflet_and_the_reviewer_on_a_reviewed_one(leaflet_cmd, translations, tmp_path):
    review(leaflet_cmd, translations, "--by", "Ana Ruiz", "--date", "2026-11-20")
    report = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["ru", "es"], fmt="pdf")
    pdfs = {o.locale: o for o in report.outputs}
    assert not pdfs["ru"].draft and pdfs["es"].draft

    def first_and_footer(path):
        with pdfplumber.open(path) as pdf:
            return " ".join(pdf.pages[0].extract_text().split()), " ".join(pdf.pages[-1].extract_text().split())

    ru_first, ru_last = first_and_footer(pdfs["ru"].path)
    assert wording.DRAFT_NOTICE not in ru_first
    doc = localize(read(SEED), "ru", Layout(translations))
    stamp = doc.words.pgettext("review state", "reviewed by {reviewer} on {date}").format(reviewer="Ana Ruiz", date="2026-11-20")
    assert stamp in ru_last
    es_first, es_last = first_and_footer(pdfs["es"].path)
    assert wording.DRAFT_NOTICE in es_first
    assert "Ana Ruiz" not in es_last


def test_a_build_refuses_a_catalog_with_a_check_error_and_a_default_build_says_what_it_skipped(translations, tmp_path, leaflet_cmd):
    path = po(translations)
    text = path.read_text("utf-8")
    at = text.rindex("6-8")
    path.write_text(text[:at] + "6-9" + text[at + 3:], "utf-8")
    asked = leaflet_cmd("build", SEED, "-l", "ru", "--format", "pdf", "-o", tmp_path / "out",
                        "--translations", translations, cwd=tmp_path)
    assert asked.returncode == 1 and asked.stderr.count("\n") == 1
    assert "leaflet check" in asked.stderr and "the number 8" in asked.stderr
    assert not (tmp_path / "out").exists()
    # with --allow-incomplete the wrong translation is not printed: the English stands in, as for a missing one
    report = build([SEED], layout=Layout(translations), config=load(), out=tmp_path / "partial", locales=["ru"],
                   fmt="pdf", allow_incomplete=True)
    [pdf] = report.outputs
    assert pdf.draft and pdf.missing == 1
    with pdfplumber.open(pdf.path) as document:
        text = " ".join(" ".join(page.extract_text() for page in document.pages).split())
    assert "6-9" not in text and "6-8 hours" in text
    # es: one message left untranslated
    es = po(translations, "es")
    catalog = read_catalog(es)
    message = next(m for m in catalog if m.id and m.context == "benefits")
    message.string = ""
    es.write_bytes(serialize(catalog, document=True))
    default = leaflet_cmd("build", SEED, "--format", "pdf", "-o", tmp_path / "out", "--translations", translations, cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert "ru: hip-joint-denervation not built: the ru catalog for hip-joint-denervation has 1 error that" in default.stderr
    assert "es: hip-joint-denervation not built: the catalogs have 1 untranslated and 0 fuzzy messages" in default.stderr
    assert sorted(p.name for p in (tmp_path / "out" / DOMAIN).iterdir()) == ["en"]


def test_a_message_added_after_the_review_makes_the_leaflet_a_draft_even_with_allow_incomplete(leaflet_cmd, translations, tmp_path):
    review(leaflet_cmd, translations, "--by", "Ana Ruiz")
    source = tmp_path / SEED.name
    source.write_text(SEED.read_text("utf-8").replace("Setting\n", "Setting\nYou can go home the same day.\n\n"), "utf-8")
    assert leaflet_cmd("update", source, "--translations", translations, cwd=tmp_path).returncode == 0
    assert status(leaflet_cmd, translations)[(DOMAIN, "ru")]["review"] == "changed"
    report = build([source], layout=Layout(translations), config=load(), out=tmp_path / "out", locales=["ru"], fmt="pdf",
                   allow_incomplete=True)
    [pdf] = report.outputs
    assert pdf.draft and pdf.missing == 1
    with pdfplumber.open(pdf.path) as document:
        assert wording.DRAFT_NOTICE in " ".join(document.pages[0].extract_text().split())


def test_the_guide_says_the_draft_notice_once_for_a_draft_and_not_after_a_review(leaflet_cmd, translations):
    from leaflet.guide import script
    from leaflet.speech.spoken import Rules

    def spoken_lines():
        doc = localize(read(SEED), "ru", Layout(translations))
        notice = doc.words.gettext(wording.DRAFT_NOTICE)
        lines = [line.text for step in script(doc, Rules(), "Clinic", "555 0100").steps for line in step.lines]
        return [line for line in lines if notice in line]

    assert len(spoken_lines()) == 1
    review(leaflet_cmd, translations, "--by", "Ana Ruiz")
    assert spoken_lines() == []
