"""Catalogs through the library: templates, init with translation memory, update, compile, status."""

from __future__ import annotations

import codecs
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from leaflet import catalogs, translate
from leaflet.catalogs import Layout
from leaflet.errors import CatalogError
from leaflet.reader import read

from conftest import SEED

PROCEDURE = """Injection, knee joint
CPT4 code: 20610
Name of the Procedure: Knee Injection
Summary
A doctor puts medicine into your knee joint with a thin needle.
Preparation
- Do not eat for 2 hours before the procedure.
- Bring a list of your medicines.
Risks and Complications
- Common: a sore knee for a day or two.
- Rare: infection. Call us if your knee is hot and red.
Recovery
You can walk straight away. 50% of patients feel better within a week.
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def po(layout, domain, locale):
    return catalogs.read_catalog(layout.po(domain, locale), locale=locale, domain=domain)


def translate_all(layout, domain, locale, translator=lambda m: f"[{m}]"):
    """Play a translator: fill every message, as a PO editor would, and save."""
    path = layout.po(domain, locale)
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=locale)
    for message in catalog:
        if message.id:
            if isinstance(message.id, tuple):
                message.string = tuple(translator(message.id[0]) for _ in range(catalog.num_plurals))
            else:
                message.string = translator(message.id)
            message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


@pytest.fixture
def knee(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return write(tmp_path / "procedures" / "knee-injection.txt", PROCEDURE)


@pytest.fixture
def layout(tmp_path):
    return Layout(tmp_path / "translations")


# --- templates ---------------------------------------------------------------------------------


def test_template_has_one_message_per_block_and_name_field(knee, layout, msgfmt_check):
    translate.extract([knee], layout)
    pot = read_po(open(layout.template("knee-injection"), "rb"))
    messages = [m for m in pot if m.id]
    procedure = read(knee)
    blocks = sum(len(s.blocks) for s in procedure.sections)
    assert len(messages) == blocks + 2  # title and name; this file has no common names or medical terms
    by_id = {m.id: m for m in messages}
    risk = by_id["Rare: infection. Call us if your knee is hot and red."]
    assert risk.context == "risks"
    assert risk.auto_comments == ["Risks and Complications, item 2 of 2"]
    assert risk.locations == [("procedures/knee-injection.txt", 11)]
    assert by_id["Knee Injection"].context == "name"
    assert by_id["Injection, knee joint"].context == "title"
    assert "20610" not in by_id  # the code is not for translation
    assert pot.project == "leaflet" and pot.version
    assert pot.charset == "utf-8"
    msgfmt_check(layout.template("knee-injection"))


def test_same_sentence_in_two_sections_is_two_messages(tmp_path, layout):
    source = write(tmp_path / "two.txt", "Two\nSummary\nAsk us.\nRecovery\nAsk us.\n")
    translate.extract([source], layout)
    pot = read_po(open(layout.template("two"), "rb"))
    assert sorted(m.context for m in pot if m.id == "Ask us.") == ["recovery", "summary"]


def test_document_text_is_never_a_format_string(knee, layout, msgfmt_check):
    translate.extract([knee], layout)
    text = layout.template("knee-injection").read_text()
    assert "python-format" not in text
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es", lambda m: "El 50 % de los pacientes" if "50%" in m else "x")
    msgfmt_check(layout.po("knee-injection", "es"))


def test_seed_template_places_every_message_for_the_translator(tmp_path, layout, monkeypatch, msgfmt_check):
    monkeypatch.chdir(SEED.parents[2])
    translate.extract([SEED], layout)
    pot = read_po(open(layout.template("hip-joint-denervation"), "rb"))
    messages = [m for m in pot if m.id]
    assert len(messages) == 39  # 4 name fields + 35 blocks
    assert {m.context for m in messages} >= {"title", "name", "summary", "risks", "experience"}
    assert all(m.auto_comments and m.locations for m in messages)
    assert messages[-1].locations == [("assets/procedures/hip-joint-denervation.txt", 54)]  # the last line, no final newline
    msgfmt_check(layout.template("hip-joint-denervation"))


def test_leaflet_template_is_extracted_from_the_code(layout, knee, msgfmt_check):
    translate.extract([knee], layout)
    pot = read_po(open(layout.template("leaflet"), "rb"))
    ids = {m.id if isinstance(m.id, str) else m.id[0]: m for m in pot if m.id}
    assert "What happens during the procedure?" in ids
    assert "Page {page} of {pages}" in ids
    plural = ids["This guide has {count} step."]
    assert plural.id == ("This guide has {count} step.", "This guide has {count} steps.")
    assert ids["draft"].context == "review state"
    assert all(loc[0].startswith("leaflet/") for m in ids.values() for loc in m.locations)
    msgfmt_check(layout.template("leaflet"))


def test_extracting_again_leaves_an_unchanged_template_alone(knee, layout, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    translate.extract([knee], layout)
    before = layout.template("knee-injection").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    _, reports = translate.extract([knee], layout)
    assert not any(r.written for r in reports)
    assert layout.template("knee-injection").read_bytes() == before
    write(knee, PROCEDURE.replace("thin needle", "very thin needle"))
    _, reports = translate.extract([knee], layout)
    assert [r.domain for r in reports if r.written] == ["knee-injection"]
    assert b"2027-01-15" in layout.template("knee-injection").read_bytes()  # the new creation date


# --- init --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, stored, plurals",
    [("es-MX", "es_MX", 2), ("pl", "pl", 3), ("ar", "ar", 6), ("zh-Hans", "zh_Hans", 1), ("pt_BR", "pt_BR", 2)],
)
def test_init_writes_language_and_plural_forms(knee, layout, given, stored, plurals, msgfmt_check):
    translate.init([knee], given, layout)
    for domain in ("knee-injection", "leaflet"):
        path = layout.root / stored / "LC_MESSAGES" / f"{domain}.po"
        text = path.read_text(encoding="utf-8")
        assert f'"Language: {stored}\\n"' in text
        assert f"nplurals={plurals};" in text
        msgfmt_check(path)


def test_init_refuses_an_existing_catalog_and_keeps_leaflet_po(knee, layout):
    translate.init([knee], "fr", layout)
    translate_all(layout, "leaflet", "fr")
    leaflet_po = layout.po("leaflet", "fr").read_bytes()
    with pytest.raises(CatalogError, match="exists already"):
        translate.init([knee], "fr", layout)
    other = write(knee.parent / "other.txt", "Other\nSummary\nHello.\n")
    translate.init([other], "fr", layout)
    assert layout.po("leaflet", "fr").read_bytes() == leaflet_po


def test_init_refuses_an_unknown_locale_before_writing(knee, layout):
    with pytest.raises(CatalogError, match="unknown locale"):
        translate.init([knee], "xx-YY", layout)
    assert not layout.root.exists()


def test_translation_memory_fills_exact_and_close_matches(tmp_path, layout):
    first = write(tmp_path / "first.txt", PROCEDURE)
    translate.init([first], "fr", layout)
    translate_all(layout, "first", "fr", lambda m: f"FR {m}")
    second = write(
        tmp_path / "second.txt",
        PROCEDURE.replace("Bring a list of your medicines.", "Bring a list of all your medicines.")
        .replace("Do not eat for 2 hours", "Eat for 2 hours")
        .replace("You can walk straight away.", "You can go home."),
    )
    _, reports = translate.init([second], "fr", layout)
    catalog = po(layout, "second", "fr")
    exact = catalog.get("A doctor puts medicine into your knee joint with a thin needle.", context="summary")
    assert exact.string == "FR A doctor puts medicine into your knee joint with a thin needle."
    assert not exact.fuzzy
    close = catalog.get("Bring a list of all your medicines.", context="preparation")
    assert close.fuzzy
    assert close.string == "FR Bring a list of your medicines."
    assert close.previous_id == ["Bring a list of your medicines."]
    negated = catalog.get("Eat for 2 hours before the procedure.", context="preparation")
    assert negated.string == "" and not negated.fuzzy  # "Do not eat" must never be offered for "Eat"
    report = next(r for r in reports if r.path.name == "second.po")
    assert report.fuzzy >= 1 and report.refused_negation >= 1


def test_close_match_in_another_section_is_fuzzy_not_translated(tmp_path, layout):
    first = write(tmp_path / "first.txt", "First\nSummary\nAsk us if you are worried.\n")
    translate.init([first], "de", layout)
    translate_all(layout, "first", "de")
    second = write(tmp_path / "second.txt", "Second\nRecovery\nAsk us if you are worried.\n")
    translate.init([second], "de", layout)
    message = po(layout, "second", "de").get("Ask us if you are worried.", context="recovery")
    assert message.fuzzy and message.string == "[Ask us if you are worried.]"


# --- update ------------------------------------------------------------------------------------


def add_translator_comment(path, msgid, comment):
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id == msgid:
            message.user_comments.append(comment)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def test_update_keeps_translations_fuzzes_changes_and_obsoletes_removals(knee, layout, msgfmt_check):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    add_translator_comment(layout.po("knee-injection", "es"), "Bring a list of your medicines.", "checked with Dr. Ruiz")
    write(
        knee,
        PROCEDURE.replace("Bring a list of your medicines.", "Bring a list of your medicines and allergies.")
        .replace("You can walk straight away. 50% of patients feel better within a week.\n", "")
        .replace("Recovery\n", "Recovery\nRest your knee for one day.\n"),
    )
    _, reports = translate.update([knee], layout)
    path = layout.po("knee-injection", "es")
    catalog = po(layout, "knee-injection", "es")
    kept = catalog.get("A doctor puts medicine into your knee joint with a thin needle.", context="summary")
    assert kept.string.startswith("[A doctor") and not kept.fuzzy
    changed = catalog.get("Bring a list of your medicines and allergies.", context="preparation")
    assert changed.fuzzy and changed.string == "[Bring a list of your medicines.]"
    assert changed.previous_id == ["Bring a list of your medicines."]
    assert "checked with Dr. Ruiz" in changed.user_comments
    new = catalog.get("Rest your knee for one day.", context="recovery")
    assert new.string == ""
    obsolete_ids = {m.id for m in catalog.obsolete.values()}
    assert "You can walk straight away. 50% of patients feel better within a week." in obsolete_ids
    text = path.read_text(encoding="utf-8")
    assert '#| msgid "Bring a list of your medicines."' in text
    assert '#~ msgid "You can walk straight away. 50% of patients feel better within a week."' in text
    assert "checked with Dr. Ruiz" in text  # nothing a translator wrote is lost
    msgfmt_check(path)
    leaflet_report = [r for r in reports if r.path.name == "leaflet.po"]
    assert leaflet_report and not leaflet_report[0].written  # nothing new in the leaflet domain


def test_update_never_offers_a_translation_across_a_negation(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE.replace("Do not eat for 2 hours", "Eat for 2 hours"))
    translate.update([knee], layout)
    catalog = po(layout, "knee-injection", "es")
    message = catalog.get("Eat for 2 hours before the procedure.", context="preparation")
    assert message.string == "" and not message.fuzzy
    old = [m for m in catalog.obsolete.values() if m.id == "Do not eat for 2 hours before the procedure."]
    assert old and old[0].string == "[Do not eat for 2 hours before the procedure.]"


def test_a_message_that_comes_back_gets_its_translation_back(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE.replace("- Bring a list of your medicines.\n", ""))
    translate.update([knee], layout)
    write(knee, PROCEDURE)
    translate.update([knee], layout)
    message = po(layout, "knee-injection", "es").get("Bring a list of your medicines.", context="preparation")
    assert message.string == "[Bring a list of your medicines.]" and not message.fuzzy


LONG = "Rare: infection. Call us if your knee is hot and red."
# Long enough for the PO file to wrap it, and each edit close enough (80 %) to the one before for a suggestion.
BASE = "Rare: infection of the knee joint. Call us straight away if your knee is hot, red and swollen."
EDIT1 = "Rare: infection of the knee joint. Call us at once if your knee is hot, red and swollen."
EDIT2 = "Rare: infection of the knee joint. Call us at once if your knee is hot, red or swollen."


def test_an_unchecked_suggestion_never_comes_back_as_checked(knee, layout, msgfmt_check):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE.replace("2 hours", "2 to 4 hours"))
    translate.update([knee], layout)  # fuzzy, with the 2-hour translation
    write(knee, PROCEDURE)
    translate.update([knee], layout)  # undone: the checked translation is back, the suggestion is obsolete
    restored = po(layout, "knee-injection", "es").get("Do not eat for 2 hours before the procedure.", context="preparation")
    assert restored.string == "[Do not eat for 2 hours before the procedure.]" and not restored.fuzzy
    write(knee, PROCEDURE.replace("2 hours", "2 to 4 hours"))
    translate.update([knee], layout)  # the same edit again: still only a suggestion
    again = po(layout, "knee-injection", "es").get("Do not eat for 2 to 4 hours before the procedure.", context="preparation")
    assert again.fuzzy and again.string == "[Do not eat for 2 hours before the procedure.]"
    assert catalogs.catalog_status(po(layout, "knee-injection", "es"), "knee-injection", "es").fuzzy == 1
    msgfmt_check(layout.po("knee-injection", "es"))


def test_a_sentence_edited_twice_keeps_its_suggestion(knee, layout, msgfmt_check):
    write(knee, PROCEDURE.replace(LONG, BASE))
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE.replace(LONG, EDIT1))
    translate.update([knee], layout)
    assert po(layout, "knee-injection", "es").get(EDIT1, context="risks").fuzzy
    write(knee, PROCEDURE.replace(LONG, EDIT2))
    translate.update([knee], layout)
    message = po(layout, "knee-injection", "es").get(EDIT2, context="risks")
    assert message.fuzzy and message.string == f"[{BASE}]"
    msgfmt_check(layout.po("knee-injection", "es"))


def test_a_long_previous_msgid_stays_valid_and_updates_are_idempotent(knee, layout, msgfmt_check):
    write(knee, PROCEDURE.replace(LONG, BASE))
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE.replace(LONG, EDIT1))
    for _ in range(3):
        translate.update([knee], layout)
        msgfmt_check(layout.po("knee-injection", "es"))
    before = layout.po("knee-injection", "es").read_bytes()
    translate.update([knee], layout)
    assert layout.po("knee-injection", "es").read_bytes() == before
    text = before.decode("utf-8")
    assert "#| msgid" in text and "# |" not in text


def test_a_sentence_moved_to_another_section_says_where_it_came_from(knee, layout, msgfmt_check):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE.replace("- Bring a list of your medicines.\n", "").replace("Recovery\n", "Recovery\n- Bring a list of your medicines.\n"))
    translate.update([knee], layout)
    text = layout.po("knee-injection", "es").read_text(encoding="utf-8")
    assert '#| msgctxt "preparation"\n#| msgid "Bring a list of your medicines."\nmsgctxt "recovery"' in text
    msgfmt_check(layout.po("knee-injection", "es"))
    translate.update([knee], layout)
    assert layout.po("knee-injection", "es").read_text(encoding="utf-8") == text


def test_white_space_is_no_translation(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es", translator=lambda m: " ")
    status = catalogs.catalog_status(po(layout, "knee-injection", "es"), "knee-injection", "es")
    assert status.translated == 0 and status.percent == 0.0


def test_update_without_files_uses_the_templates(knee, layout):
    translate.init([knee], "es", layout)
    write(knee, PROCEDURE + "Benefits\nLess pain.\n")
    translate.extract([knee], layout)
    translate.update([], layout)
    assert po(layout, "knee-injection", "es").get("Less pain.", context="benefits") is not None


def test_update_without_files_names_catalogs_it_cannot_update(knee, layout):
    translate.init([knee], "es", layout)
    layout.template("knee-injection").unlink()
    _, reports = translate.update([], layout)
    (skipped,) = [r for r in reports if r.skipped]
    assert skipped.path == layout.po("knee-injection", "es") and "knee-injection.pot" in skipped.skipped


def test_update_is_idempotent(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    translate.update([knee], layout)
    before = layout.po("knee-injection", "es").read_bytes()
    _, reports = translate.update([knee], layout)
    assert not any(r.written for r in reports)
    assert layout.po("knee-injection", "es").read_bytes() == before


def test_a_po_saved_by_another_editor_reads_back_without_loss(knee, layout, msgfmt_check):
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        pytest.skip("GNU gettext's msgcat is not installed")
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    path = layout.po("knee-injection", "es")
    original = po(layout, "knee-injection", "es")
    # Another editor: narrow wrapping, sorted entries, and a translator's comment of its own.
    subprocess.run([msgcat, "--width=30", "--sort-output", "-o", str(path), str(path)], check=True)
    text = path.read_text(encoding="utf-8").replace(
        'msgctxt "recovery"', '# Reviewed on the phone with the clinic\nmsgctxt "recovery"', 1
    )
    path.write_text(text, encoding="utf-8")
    edited = po(layout, "knee-injection", "es")
    assert {(m.id, m.context, m.string) for m in edited if m.id} == {(m.id, m.context, m.string) for m in original if m.id}
    translate.update([knee], layout)
    after = path.read_text(encoding="utf-8")
    assert "Reviewed on the phone with the clinic" in after
    assert {(m.id, m.context, m.string) for m in po(layout, "knee-injection", "es") if m.id} == {
        (m.id, m.context, m.string) for m in original if m.id
    }
    msgfmt_check(path)


def test_previous_msgid_survives_a_read_and_write(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE.replace("Bring a list of your medicines.", "Bring a list of your medicines and allergies."))
    translate.update([knee], layout)
    path = layout.po("knee-injection", "es")
    before = path.read_bytes()
    catalog = po(layout, "knee-injection", "es")
    assert catalogs.serialize(catalog, document=True) == before
    _, reports = translate.update([knee], layout)  # still fuzzy: the previous source stays beside it
    assert path.read_bytes() == before


def test_a_broken_po_stops_update_with_file_and_line(knee, layout):
    translate.init([knee], "es", layout)
    path = layout.po("knee-injection", "es")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(20, 'msgid "unterminated')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(CatalogError) as caught:
        translate.update([knee], layout)
    assert str(path) in str(caught.value) and ":" in str(caught.value)
    assert path.read_bytes() == before


# --- compile and load --------------------------------------------------------------------------


def test_compile_leaves_fuzzy_out_and_loading_recompiles_stale(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    path = layout.po("knee-injection", "es")
    text = path.read_text(encoding="utf-8").replace(
        'msgctxt "recovery"', '#, fuzzy\nmsgctxt "recovery"', 1
    )
    path.write_text(text, encoding="utf-8")
    written = translate.compile_all(layout)
    assert layout.mo("knee-injection", "es") in written
    t = catalogs.load_translations(layout, "knee-injection", "es")
    assert t.pgettext("summary", "A doctor puts medicine into your knee joint with a thin needle.").startswith("[A doctor")
    recovery = "You can walk straight away. 50% of patients feel better within a week."
    assert t.pgettext("recovery", recovery) == recovery  # fuzzy: the source stands in
    # A translator edits the PO after compiling: loading notices and compiles again.
    text = path.read_text(encoding="utf-8").replace('"[A doctor puts', '"[Un doctor puts', 1)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(layout.mo("knee-injection", "es").stat().st_mtime_ns + 10**9,) * 2)
    assert catalogs.is_stale(layout, "knee-injection", "es")
    t = catalogs.load_translations(layout, "knee-injection", "es")
    assert t.pgettext("summary", "A doctor puts medicine into your knee joint with a thin needle.").startswith("[Un doctor")


def test_plural_messages_translate_through_gettext(knee, layout):
    translate.init([knee], "pl", layout)
    forms = {0: "krok", 1: "kroki", 2: "kroków"}
    path = layout.po("leaflet", "pl")
    catalog = read_po(open(path, "rb"), locale="pl")
    message = catalog.get(("This guide has {count} step.", "This guide has {count} steps."))
    message.string = tuple(f"Ten przewodnik ma {{count}} {forms[i]}." for i in range(3))
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())
    from leaflet.wording import guide_length

    t = catalogs.load_translations(layout, "leaflet", "pl")
    assert guide_length(t, 1) == "Ten przewodnik ma 1 krok."
    assert guide_length(t, 3) == "Ten przewodnik ma 3 kroki."
    assert guide_length(t, 5) == "Ten przewodnik ma 5 kroków."


def test_missing_catalog_loads_as_the_source_language(layout):
    t = catalogs.load_translations(layout, "knee-injection", "es")
    assert t.gettext("Hello") == "Hello"


# --- status ------------------------------------------------------------------------------------


def test_status_counts_and_percent(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    path = layout.po("knee-injection", "es")
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgctxt "recovery"', '#, fuzzy\nmsgctxt "recovery"', 1)
    text = text.replace('msgstr "[Knee Injection]"', 'msgstr ""', 1)
    path.write_text(text, encoding="utf-8")
    rows = {(r.domain, r.locale): r for r in translate.status([], layout)}
    row = rows[("knee-injection", "es")]
    total = row.translated + row.fuzzy + row.untranslated
    assert (row.fuzzy, row.untranslated, row.obsolete) == (1, 1, 0)
    assert row.percent == int(1000 * (total - 2) / total) / 10
    assert rows[("leaflet", "es")].translated == 0
    assert set(row.to_dict()) == {
        "domain", "locale", "translated", "fuzzy", "untranslated", "obsolete", "percent", "review", "reviewed_by", "reviewed_date"
    }


def test_status_of_a_stale_catalog_counts_new_source_messages(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    write(knee, PROCEDURE + "Benefits\nLess pain.\n")
    (row,) = translate.status([knee], layout)
    assert row.untranslated == 1 and row.percent < 100


def test_percent_is_100_only_when_complete():
    row = catalogs.Status("d", "es", 999, 0, 1, 0)
    assert row.percent == 99.9 and not row.complete
    assert catalogs.Status("d", "es", 3, 0, 0, 0).percent == 100.0


# --- layout safety -----------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["../evil", "a/b", "", "UPPER", ".hidden"])
def test_layout_refuses_domains_that_could_leave_the_folder(layout, domain):
    with pytest.raises(CatalogError):
        layout.po(domain, "es")


@pytest.mark.parametrize("locale", ["../../etc", "es/../../x", "es_MX/..", "xx"])
def test_layout_refuses_locales_that_could_leave_the_folder(layout, locale):
    with pytest.raises(CatalogError):
        layout.po("knee", locale)


def test_a_folder_named_in_bcp47_is_pointed_out(layout):
    (layout.root / "pt-BR" / "LC_MESSAGES").mkdir(parents=True)
    (layout.root / "pt-BR" / "LC_MESSAGES" / "x.po").write_text("")
    with pytest.raises(CatalogError, match="pt_BR"):
        layout.catalogs()


# --- round trip --------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u0085"),
    min_size=1,
    max_size=120,
).map(lambda s: " ".join(s.split())).filter(bool)


_entry = st.tuples(_text, st.sampled_from(["summary", "risks", "other"]), _text, st.booleans(), st.one_of(st.none(), _text))


@settings(max_examples=60, deadline=None)
@given(
    entries=st.lists(_entry, min_size=1, max_size=8, unique_by=lambda e: (e[0], e[1])),
    gone=st.lists(_entry, max_size=4, unique_by=lambda e: (e[0], e[1])),
)
def test_po_round_trip_keeps_every_message(tmp_path_factory, entries, gone):
    """Write then read gives the same messages, fuzzy marks and `#| msgid` lines, obsolete ones included,
    and what leaflet writes passes msgfmt --check."""
    from babel.messages.catalog import Catalog, Message

    catalog = Catalog(locale="fr", domain="x", charset="utf-8")
    expected, expected_gone = {}, {}
    for msgid, context, string, fuzzy, previous in entries:
        message = catalog.add(msgid, string, context=context, auto_comments=["a comment"], locations=[("x.txt", 3)])
        if fuzzy:
            message.flags.add("fuzzy")
            message.previous_id = [previous] if previous else []
        expected[(msgid, context)] = (string, fuzzy, [previous] if fuzzy and previous else [])
    for msgid, context, string, fuzzy, _ in gone:
        if (msgid, context) not in expected:
            catalog.obsolete[(msgid, context)] = Message(msgid, string, context=context, flags=["fuzzy"] if fuzzy else [])
            expected_gone[(msgid, context)] = (string, fuzzy)
    path = tmp_path_factory.mktemp("po") / "x.po"
    catalogs.write_catalog(path, catalog, document=True)
    again = catalogs.read_catalog(path, locale="fr")
    assert {(m.id, m.context): (m.string, m.fuzzy, list(m.previous_id or [])) for m in again if m.id} == expected
    assert {(m.id, m.context): (m.string, m.fuzzy) for m in again.obsolete.values()} == expected_gone
    assert catalogs.serialize(again, document=True) == path.read_bytes()
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        result = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


# --- files as other tools and editors leave them -------------------------------------------------------


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old, new, needle",
    [
        ('msgstr "[Bring a list of your medicines.]"', 'msgstr "[Bring a list of your medicines.]"\nmsgstr "again"', "two msgstr"),
        ('msgctxt "name"', 'msgctxt "name"\nmsgid "Knee Injection"\nmsgstr "SEGUNDA"\n\nmsgctxt "name"', "a second entry"),
        ("charset=utf-8", "charset=klingon", "unknown charset 'klingon'"),
    ],
    ids=["second msgstr", "duplicate entry", "unknown charset"],
)
def test_catalogs_msgfmt_refuses_are_refused_with_file_and_line_not_silently_changed(knee, layout, old, new, needle):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    path = layout.po("knee-injection", "es")
    _edit(path, old, new)
    before = path.read_bytes()
    with pytest.raises(CatalogError, match=needle) as caught:
        translate.update([knee], layout)
    assert str(caught.value).startswith(f"{path}:")
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"\n\n", b'msgid "Knee Injection"\nmsgstr "Inyeccion"\n'], ids=["empty", "blank", "no header"])
def test_an_empty_or_headerless_catalog_is_refused_not_replaced(knee, layout, content):
    translate.init([knee], "es", layout)
    path = layout.po("knee-injection", "es")
    path.write_bytes(content)
    with pytest.raises(CatalogError) as caught:
        translate.update([knee], layout)
    assert str(caught.value).startswith(str(path))
    assert path.read_bytes() == content


def test_a_latin_1_catalog_is_read_and_written_in_latin_1(knee, layout, msgfmt_check):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es", translator=lambda m: f"año {m}")
    path = layout.po("knee-injection", "es")
    text = path.read_text(encoding="utf-8").replace("charset=utf-8", "charset=ISO-8859-1")
    path.write_bytes(text.encode("latin-1"))
    translate.update([knee], layout)
    assert po(layout, "knee-injection", "es").get("Knee Injection", context="name").string == "año Knee Injection"
    assert "año".encode("latin-1") in path.read_bytes()
    msgfmt_check(path)


def test_a_bom_and_msgmerges_obsolete_previous_lines_are_read(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    path = layout.po("knee-injection", "es")
    text = path.read_text(encoding="utf-8") + '\n#, fuzzy\n#~| msgid "Old words"\n#~ msgid "Old words."\n#~ msgstr "Palabras."\n'
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    catalog = po(layout, "knee-injection", "es")
    assert [m.id for m in catalog.obsolete.values()] == ["Old words."]
    assert catalogs.catalog_status(catalog, "knee-injection", "es").translated == 8  # every message


def test_a_broken_catalog_of_another_procedure_stops_update_before_anything_is_written(knee, layout):
    other = write(knee.parent / "hip.txt", PROCEDURE.replace("knee", "hip"))
    translate.init([knee, other], "es", layout)
    translate.init([knee, other], "fr", layout)
    broken = layout.po("hip", "fr")
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    write(knee, PROCEDURE + "Benefits\nLess pain.\n")
    files = [layout.template("knee-injection"), layout.po("knee-injection", "es"), layout.po("knee-injection", "fr")]
    before = [f.read_bytes() for f in files]
    with pytest.raises(CatalogError, match="hip.po"):
        translate.update([knee], layout)
    assert [f.read_bytes() for f in files] == before


def test_a_template_charset_placeholder_reads_as_utf_8(knee, layout, msgfmt_check):
    translate.init([knee], "es", layout)
    _edit(layout.po("knee-injection", "es"), "charset=utf-8", "charset=CHARSET")
    translate.update([knee], layout)
    assert "charset=utf-8" in layout.po("knee-injection", "es").read_text(encoding="utf-8")


@pytest.mark.parametrize("charset", ["base64", "utf-16", "idna", "utf-8-sig"])
def test_a_charset_gettext_cannot_use_is_refused(knee, layout, charset):
    translate.init([knee], "es", layout)
    _edit(layout.po("knee-injection", "es"), "charset=utf-8", f"charset={charset}")
    with pytest.raises(CatalogError, match="unknown charset"):
        translate.update([knee], layout)


def test_white_space_translations_are_left_out_of_the_compiled_catalog(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es", translator=lambda m: " " if m == "Knee Injection" else f"[{m}]")
    translations = catalogs.load_translations(layout, "knee-injection", "es")
    assert translations.pgettext("name", "Knee Injection") == "Knee Injection"
    assert translations.pgettext("preparation", "Bring a list of your medicines.") == "[Bring a list of your medicines.]"


def test_a_second_plural_form_of_the_same_index_is_refused(knee, layout):
    translate.init([knee], "ru", layout)
    path = layout.po("leaflet", "ru")
    _edit(path, 'msgstr[0] ""', 'msgstr[0] "one"\nmsgstr[0] "two"')
    with pytest.raises(CatalogError, match="two msgstr"):
        catalogs.read_catalog(path, locale="ru")


def test_a_translators_flags_come_along_with_an_edited_sentence(knee, layout):
    translate.init([knee], "es", layout)
    translate_all(layout, "knee-injection", "es")
    _edit(layout.po("knee-injection", "es"), 'msgctxt "preparation"\nmsgid "Bring', '#, no-wrap\nmsgctxt "preparation"\nmsgid "Bring')
    write(knee, PROCEDURE.replace("Bring a list of your medicines.", "Bring a list of your medicines and allergies."))
    translate.update([knee], layout)
    message = po(layout, "knee-injection", "es").get("Bring a list of your medicines and allergies.", context="preparation")
    assert message.fuzzy and "no-wrap" in message.flags


def test_the_leaflet_template_holds_what_babel_extracts_from_every_file_of_the_package():
    # only the files that call a gettext keyword are tokenized: none of the others may hold a message
    import leaflet
    from babel.messages.extract import extract_from_dir
    from leaflet.catalogs import leaflet_template

    package = Path(leaflet.__file__).parent
    everything = [(f"leaflet/{Path(name).as_posix()}", line, message, tuple(comments), context)
                  for name, line, message, comments, context in extract_from_dir(
                      str(package), method_map=[("**.py", "python")], comment_tags=("TRANSLATORS:",),
                      strip_comment_tags=True)]
    template = [(path, line, m.id, tuple(m.auto_comments), m.context)
                for m in leaflet_template() if m.id for path, line in m.locations]
    assert sorted(template) == sorted(everything) and len(template) > 30
