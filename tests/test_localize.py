"""The leaflet a patient reads: sections in the patient's order, headings from the leaflet domain, honest gaps."""

from __future__ import annotations

from pathlib import Path

from leaflet import reader, wording
from leaflet.catalogs import Layout
from leaflet.localize import PATIENT_ORDER, catalog_path, is_source_locale, localize
from leaflet.model import OTHER, Block, Field, Procedure, Section

from conftest import ROOT, SEED

TRANSLATIONS = Layout(ROOT / "translations")


def _doc(text: str, tmp_path: Path, locale: str = "en"):
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    return localize(reader.read(path), locale, TRANSLATIONS if locale != "en" else Layout(tmp_path))


def test_sections_come_in_the_order_a_patient_lives_them(tmp_path):
    text = (
        "Title\nCPT4 code 27035\nName of the Procedure: Test\n"
        "Risks and Complications\n- Bruising.\nRecovery\nRest.\nPreparation\nDo not eat.\n"
        "Parking Information\nCall us.\nProcedure Description\n- First.\n- Second.\nSummary\nWhat it is.\n"
    )
    doc = _doc(text, tmp_path)
    keys = [p.key for p in doc.parts]
    known = [k for k in keys if k != "other"]
    order = [heading for heading, _ in PATIENT_ORDER]
    assert known == sorted(known, key=order.index)  # preparation, procedure, recovery, risks
    # a section of its own follows the known sections that came before it in the source (here Risks, the
    # latest of Risks, Recovery and Preparation in the patient's order), and comes before the ones after it
    assert keys.index("other") == keys.index("risks") + 1
    assert doc.parts[keys.index("other")].heading == "Parking Information"
    assert [e.text for e in doc.lead] == ["What it is."]
    steps = next(p for p in doc.parts if p.key == "procedure").entries
    assert all(e.ordered for e in steps)  # the procedure's steps are numbered
    assert doc.staff[-1] == ("CPT code", "27035")


def test_setting_and_personnel_share_one_heading_and_purpose_joins_indications(tmp_path):
    both = _doc("T\nSetting\nA clinic.\nPersonnel\n- A nurse.\nPurpose\nTo help.\nIndications\n- Pain.\n", tmp_path)
    headings = [p.heading for p in both.parts]
    assert wording.SECTION_HEADINGS["setting+personnel"] in headings
    assert wording.SECTION_HEADINGS["indications"] in headings
    assert [e.text for e in both.parts[0].entries] == ["To help.", "Pain."]
    alone = _doc("T\nSetting\nA clinic.\nPurpose\nTo help.\n", tmp_path)
    assert [p.heading for p in alone.parts] == [wording.SECTION_HEADINGS["purpose"], wording.SECTION_HEADINGS["setting"]]


def test_headings_and_text_come_translated_with_nothing_missing():
    doc = localize(reader.read(SEED), "vi", TRANSLATIONS)
    assert doc.missing == 0 and doc.draft and not doc.is_source
    assert all(p.heading_lang is None for p in doc.parts)
    assert all(e.lang is None for p in doc.parts for e in p.entries)
    assert doc.title != "Denervation of the Hip Joint"


def test_locale_variants_fall_back_to_their_language():
    assert catalog_path(TRANSLATIONS, "leaflet", "ru_RU").parent.parent.name == "ru"
    assert catalog_path(TRANSLATIONS, "leaflet", "zh_Hans_CN").parent.parent.name == "zh_Hans"
    assert is_source_locale("en_GB") and not is_source_locale("ru")


def test_a_plural_message_left_blank_is_counted_as_english_not_taken_for_a_translation(tmp_path):
    """Babel compiles a blank plural entry with the English forms as its msgstr; that is no translation."""
    import shutil

    from babel.messages.pofile import read_po, write_po

    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", translations)
    po = translations / "ru" / "LC_MESSAGES" / "leaflet.po"
    with open(po, "rb") as handle:
        catalog = read_po(handle, locale="ru")
    catalog.get("This guide has {count} step.").string = ("", "", "")
    with open(po, "wb") as handle:
        write_po(handle, catalog)
    doc = localize(reader.read(SEED), "ru", Layout(translations))
    assert wording.guide_length(doc.words, 7) == "This guide has 7 steps."
    assert doc.words.last_fallback and "This guide has {count} step." in doc.words.fallbacks
    before = doc.missing
    assert wording.guide_length(doc.words, 1) == "This guide has 1 step."
    assert doc.missing == before  # counted once
    complete = localize(reader.read(SEED), "ru", TRANSLATIONS)
    assert wording.guide_length(complete.words, 7) != "This guide has 7 steps."
    assert not complete.words.last_fallback


# --- the warning section: when to get help ----------------------------------------------------------------------
# Built as the model, so that these tests hold whichever headings the reader learns to call a warning.


def _section(key: str, heading: str, *texts: str, item: bool = True) -> Section:
    return Section(key, heading, 1, tuple(Block("item" if item else "paragraph", t, 1) for t in texts))


def _procedure(*sections: Section, domain: str = "warned") -> Procedure:
    return Procedure(domain, "warned.txt", name=Field("Test", 1), sections=sections)


WARNED = _procedure(
    _section("summary", "Summary", "What it is.", item=False),
    _section("warning", "Warning signs", "A fever.", "Bleeding."),
    _section(OTHER, "Aftercare Phone Numbers", "Call the ward.", item=False),
    _section("risks", "Risks", "Bruising."),
    _section("recovery", "Recovery", "Rest.", item=False),
    _section("alternatives", "Alternatives", "Wait."),
    _section(OTHER, "Parking", "Park at the back.", item=False),
)


def _localized(procedure: Procedure, locale: str = "en"):
    return localize(procedure, locale, TRANSLATIONS, source_bytes=b"warned")


def test_the_warning_section_is_the_last_part_under_its_own_heading_wherever_the_source_puts_it():
    doc = _localized(WARNED)
    assert PATIENT_ORDER[-1] == ("warning", ("warning",))
    assert doc.parts[-1].key == "warning"
    assert doc.parts[-1].heading == wording.SECTION_HEADINGS["warning"] == "When should I get help?"
    assert [e.text for e in doc.parts[-1].entries] == ["A fever.", "Bleeding."]
    assert [p.key for p in doc.parts].count("warning") == 1


def test_the_clinics_own_sections_never_come_between_the_warning_and_the_contact_box():
    """A section of the clinic's own that follows the warning in the source comes where it would come without
    the warning (after the known sections before it); one after a later known section follows that one."""
    doc = _localized(WARNED)
    assert [(p.key, p.heading) for p in doc.parts] == [
        ("other", "Aftercare Phone Numbers"),  # nothing known came before it but the summary and the warning
        ("recovery", wording.SECTION_HEADINGS["recovery"]),
        ("risks", wording.SECTION_HEADINGS["risks"]),
        ("alternatives", wording.SECTION_HEADINGS["alternatives"]),
        ("other", "Parking"),  # after Alternatives, the latest known section before it
        ("warning", wording.SECTION_HEADINGS["warning"]),
    ]
    after_last = _localized(_procedure(
        _section("recovery", "Recovery", "Rest."), _section("warning", "Call 911 if", "You cannot breathe."),
        _section(OTHER, "Parking", "Park at the back."),
    ))
    assert [p.key for p in after_last.parts] == ["recovery", "other", "warning"]


def test_a_leaflet_without_a_warning_section_has_no_warning_part():
    doc = localize(reader.read(SEED), "en", Layout(ROOT / "translations"))
    assert "warning" not in [p.key for p in doc.parts]


def test_the_warning_heading_comes_translated_from_the_leaflet_catalog():
    doc = _localized(WARNED, "es")
    warning = doc.parts[-1]
    assert warning.key == "warning" and warning.heading_lang is None
    assert warning.heading == doc.words.gettext("When should I get help?") != "When should I get help?"
    assert "When should I get help?" not in doc.words.fallbacks


def test_the_staff_part_names_a_code_by_its_system_cpt_cdt_or_hcpcs(tmp_path):
    labels = {}
    for label, code in (("CPT code", "45378"), ("CDT code", "D7140"), ("HCPCS", "G0121"), ("Procedure code", "0232T")):
        doc = _doc(f"Title\n{label}: {code}\nSummary\nText.\n", tmp_path)
        labels[code] = doc.staff[-1]
    assert labels == {
        "45378": ("CPT code", "45378"), "D7140": ("CDT code", "D7140"), "G0121": ("HCPCS code", "G0121"),
        "0232T": ("CPT code", "0232T"),
    }
    spanish = _doc("Title\nHCPCS: G0121\nSummary\nText.\n", tmp_path, "es")
    assert spanish.staff[-1] == ("Código HCPCS", "G0121")
