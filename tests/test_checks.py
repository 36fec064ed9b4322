"""leaflet check: the translation gate. Each error kind is caught, the warnings stay narrow, and the shipped
catalogs pass it (and GNU msgfmt --check)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from leaflet import checks
from leaflet.catalogs import Layout, read_catalog
from leaflet.locales import SHIPPED_LOCALES

from conftest import ROOT

SHIPPED = Layout(ROOT / "translations")
HEADER = """\
msgid ""
msgstr ""
"Language: {locale}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""


def write_po(folder: Path, body: str, *, locale: str = "es", domain: str = "demo") -> Path:
    path = folder / locale / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(locale=locale) + textwrap.dedent(body), "utf-8")
    return path


def entry(msgid: str, msgstr: str, *, context: str = "preparation", extra: str = "") -> str:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    return f"{extra}msgctxt {q(context)}\nmsgid {q(msgid)}\nmsgstr {q(msgstr)}\n\n"


def findings(tmp_path: Path, body: str, *, locale: str = "es", domain: str = "demo") -> list[checks.Finding]:
    path = write_po(tmp_path, body, locale=locale, domain=domain)
    catalog = read_catalog(path, domain=domain)
    return checks.check_catalog(catalog, domain, locale, str(path))


def codes(found: list[checks.Finding], severity: str | None = None) -> list[str]:
    return [f.code for f in found if severity is None or f.severity == severity]


# --- errors -------------------------------------------------------------------------------------------------


def test_a_changed_number_is_an_error_naming_it(tmp_path):
    found = findings(tmp_path, entry("Do not eat for 6-8 hours before.", "No coma durante 6-9 horas antes."))
    assert codes(found) == ["number"]
    assert found[0].severity == "error" and "8" in found[0].message and "9" in found[0].message
    assert found[0].where.endswith(":8")  # the msgid line of the entry


def test_a_missing_number_is_an_error_and_an_extra_one_a_warning(tmp_path):
    found = findings(
        tmp_path,
        entry("It takes 30 to 60 minutes.", "Dura unos minutos.")
        + entry("Rest for two days.", "Descanse 2 días.", context="recovery"),
    )
    assert [(f.code, f.severity) for f in found] == [("number", "error"), ("number-added", "warning")]


@pytest.mark.parametrize(
    "source, translation",
    [
        ("Fast for 6-8 hours.", "لا تأكل لمدة ٦-٨ ساعات."),  # Arabic-Indic digits
        ("Fast for 6-8 hours.", "۶-۸ ساعت ناشتا باشید."),  # Extended (Persian) digits
        ("Fast for 6-8 hours.", "६-८ घंटे तक उपवास करें।"),  # Devanagari digits
        ("It lasts 30 to 60 minutes.", "持续30到60分钟。"),
        ("It lasts 30 to 60 minutes.", "持续３０到６０分钟。"),  # fullwidth digits
        ("Up to 1,000 mg a day.", "Hasta 1.000 mg al día."),  # grouping differs by locale
        ("Up to 1,000 mg a day.", "Jusqu'à 1\u202f000 mg par jour."),
        ("Up to 1,000 mg a day.", "Hasta 1000 mg al día."),
        ("Take 0.5 mg.", "Tome 0,5 mg."),  # decimal comma
        ("Call 555-0100.", "Llame al 555-0100."),
        ("Arrive at 8:00 a.m.", "Arrivez à 8 h."),  # zero minutes need not be written
        ("Arrive at 8 a.m.", "Llegue a las 8:00."),
        ("Arrive at 8:30.", "Arrivez à 8 h 30."),
    ],
)
def test_the_same_numbers_in_other_digits_or_grouping_pass(tmp_path, source, translation):
    assert "number" not in codes(findings(tmp_path, entry(source, translation)))


def test_a_lost_or_invented_placeholder_is_an_error(tmp_path):
    found = findings(
        tmp_path,
        entry("Call {clinic} on {phone}.", "Llame a la clínica.", context="")
        + entry("Page {number}", "Página {numero}", context="footer"),
        domain="leaflet",
    )
    messages = [f.message for f in found if f.code == "placeholder"]
    assert len(messages) == 4
    assert any("{clinic}" in m for m in messages) and any("{phone}" in m for m in messages)
    assert any("{number}" in m and "missing" in m for m in messages)
    assert any("{numero}" in m and "not a placeholder" in m for m in messages)


def test_a_plural_form_may_say_its_count_in_words(tmp_path):
    body = (
        'msgid "This guide has {count} step."\nmsgid_plural "This guide has {count} steps."\n'
        'msgstr[0] "Esta guía tiene un paso."\nmsgstr[1] "Esta guía tiene {count} pasos."\n\n'
    )
    assert findings(tmp_path, body, domain="leaflet") == []


def test_a_translation_that_is_only_white_space_or_a_half_empty_plural_is_an_error(tmp_path):
    body = entry("Rest today.", "   ") + (
        'msgid "{count} minute"\nmsgid_plural "{count} minutes"\nmsgstr[0] "{count} minuto"\nmsgstr[1] ""\n\n'
    )
    found = findings(tmp_path, body)
    assert codes(found, "error") == ["empty", "empty"]
    assert "plural forms" in found[1].message


@pytest.mark.parametrize(
    "translation",
    [
        "<b>No</b> coma nada.",
        'No coma <font color="[[[red]]]">nada</font>.',
        'No coma nada.<img src="/etc/passwd"/>',
        "No coma nada &amp; beba agua.",
        "No coma <!-- nada -->.",
    ],
)
def test_markup_the_source_does_not_have_is_an_error(tmp_path, translation):
    found = findings(tmp_path, entry("Do not eat anything.", translation))
    assert "markup" in codes(found, "error"), translation


def test_a_less_than_sign_or_markup_the_source_has_is_no_markup_error(tmp_path):
    body = entry("Keep the dose < 5 mg & drink water.", "Mantenga la dosis < 5 mg y beba agua.") + entry(
        "Press <Enter> to go on.", "Pulse <Enter> para seguir.", context="other"
    )
    assert "markup" not in codes(findings(tmp_path, body))


@pytest.mark.parametrize("marks", [5, 10_000])
def test_a_tower_of_combining_marks_is_an_error(tmp_path, marks):
    found = findings(tmp_path, entry("Go home the same day.", "Vuelva a casa" + "\u0301" * marks + "."))
    assert codes(found, "error") == ["marks"] and f"{marks} combining marks" in found[0].message


@pytest.mark.parametrize("translation", [
    "Trời ơi, về nhà cùng ngày.",  # Vietnamese: two marks on a letter, composed or not
    "Tro\u031b\u0300i o\u031bi.",
    "\u05d1\u05bc\u05b8\u05bd\u05d9\u05ea",  # Hebrew: a letter with its points
    "घर जाएँ।",  # Devanagari with a candrabindu
])
def test_the_marks_of_real_writing_pass(tmp_path, translation):
    assert "marks" not in codes(findings(tmp_path, entry("Go home the same day.", translation)))


@pytest.mark.parametrize("translation", ["\u200b", "\u200b\u200d\u2060\ufeff", "\u0301\u0302", "\u3164 \u200b"])
def test_a_translation_with_nothing_visible_is_an_error(tmp_path, translation):
    found = findings(tmp_path, entry("Go home the same day.", translation))
    assert codes(found, "error") == ["invisible-only"]


def test_the_footer_lines_are_bounded_in_the_leaflet_wording(tmp_path):
    from leaflet import wording
    from leaflet.catalogs import leaflet_template

    template = {m.id for m in leaflet_template() if m.id}
    assert {wording.PAGE_OF, wording.STAMP} <= template  # the check names messages that exist
    long_page = entry(wording.PAGE_OF, "Página {page} de {pages} " + "palabra " * 4, context="")
    long_stamp = entry(wording.STAMP, "Folleto {version}, {digest}, {state}, impreso el {date} " + "x" * 20, context="")
    fine = entry(wording.PAGE_OF, "Página {page} de {pages}", context="")
    for body, wanted in ((long_page, ["footer-length"]), (long_stamp, ["footer-length"]), (fine, [])):
        text = body.replace('msgctxt ""\n', "")
        assert codes(findings(tmp_path, text, domain="leaflet"), "error") == wanted, body


def test_a_po_file_that_does_not_parse_is_an_error_with_its_line_and_the_rest_is_still_checked(tmp_path, leaflet_cmd):
    broken = write_po(tmp_path / "tr", 'msgctxt "x"\nmsgid "Rest."\nmsgstr "Descanse."\nmsgstr "Otra vez."\n')
    write_po(tmp_path / "tr", entry("Fast for 6-8 hours.", "Ayune 6-9 horas."), domain="other")
    result = leaflet_cmd("check", "--translations", tmp_path / "tr", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{broken}:") and "error" in line and "msgstr" in line for line in lines), lines
    assert any("other.po:" in line and "number" in line for line in lines), lines
    assert "Traceback" not in result.stderr


# --- warnings -----------------------------------------------------------------------------------------------


def test_fuzzy_and_untranslated_are_warnings(tmp_path):
    body = entry("Rest today.", "Descanse hoy.", extra="#, fuzzy\n") + entry("Drink water.", "", context="recovery")
    found = findings(tmp_path, body)
    assert [(f.code, f.severity) for f in found] == [("fuzzy", "warning"), ("untranslated", "warning")]


def test_a_fuzzy_entry_whose_source_gained_a_negation_must_be_translated_afresh(tmp_path):
    body = entry(
        "Do not eat before the procedure.", "Coma antes del procedimiento.",
        extra='#, fuzzy\n#| msgid "Eat before the procedure."\n',
    )
    found = findings(tmp_path, body)
    assert codes(found) == ["fuzzy-negation"]
    assert "afresh" in found[0].message


def test_a_translation_the_same_as_the_source_is_a_warning_but_a_name_or_code_is_not(tmp_path):
    body = (
        entry("Do not drive today.", "Do not drive today.")
        + entry("MRI", "MRI", context="other")
        + entry("64624", "64624", context="code")
    )
    assert codes(findings(tmp_path, body)) == ["same"]


def test_a_translation_far_shorter_or_longer_is_a_warning_but_an_added_explanation_is_not(tmp_path):
    body = (
        entry("Bring a list of every medicine you take, including vitamins.", "Traiga una lista.")
        + entry("Medications such as NSAIDs or corticosteroids.",
                "Medicamentos como los AINE (medicinas comunes para el dolor y la hinchazón que se compran sin receta) "
                "o los corticoides (medicinas que bajan la inflamación).", context="alternatives")
    )
    found = findings(tmp_path, body)
    assert codes(found) == ["length"]
    assert "0.3 times" in found[0].message


def test_length_is_not_compared_for_chinese_or_korean(tmp_path):
    body = entry("Bring a list of every medicine you take, including vitamins.", "带上您所有药物的清单。")
    assert findings(tmp_path, body, locale="zh_Hans") == []


def test_changed_end_punctuation_is_a_warning_with_equivalents_across_scripts(tmp_path):
    body = (
        entry("Rest today.", "Descanse hoy")
        + entry("Why is it done?", "为什么要做？", context="q")
        + entry("Why is it done?", "لماذا يتم ذلك؟", context="q2")
        + entry("Rest today.", "आज आराम करें।", context="hi")
        + entry("Rest (at home).", "Descanse (en casa).", context="b")
    )
    found = findings(tmp_path, body)
    assert codes(found) == ["punctuation"]
    assert "full stop" in found[0].message


def test_hard_source_text_is_reported_once_per_domain_with_its_grade(tmp_path):
    hard = (
        "Radiofrequency ablation of the articular branches necessitates comprehensive preprocedural "
        "anticoagulation management and multidisciplinary consultation."
    )
    easy = "You rest for a day. Then you can walk. Call us if it hurts a lot."
    template = tmp_path / "demo.pot"
    template.write_text(HEADER.format(locale="") + entry(hard, "") + entry(easy, "", context="recovery"), "utf-8")
    found = checks.check_source(read_catalog(template), "demo", str(template))
    assert len(found) == 1 and found[0].code == "reading" and found[0].locale == "en"
    assert "1 of 2 messages" in found[0].message
    template.write_text(HEADER.format(locale="") + entry(easy, ""), "utf-8")
    assert checks.check_source(read_catalog(template), "demo", str(template)) == []


def test_a_hard_spanish_translation_is_reported_with_its_formula(tmp_path):
    hard = (
        "La administración concomitante de anticoagulantes orales incrementa significativamente la probabilidad "
        "de complicaciones hemorrágicas postoperatorias."
    )
    found = findings(tmp_path, entry("Blood thinners raise the risk of bleeding after the procedure.", hard))
    assert [f.code for f in found if f.code == "reading"] == ["reading"]
    assert "Fernandez-Huerta" in found[-1].message


# --- the command and the shipped catalogs -------------------------------------------------------------------


def test_every_shipped_locale_has_both_catalogs():
    domains = {"leaflet", "hip-joint-denervation"}
    assert {(d, loc) for d, loc in SHIPPED.catalogs()} == {(d, loc) for d in domains for loc in SHIPPED_LOCALES}


def test_the_shipped_catalogs_pass_the_check_with_few_warnings(leaflet_cmd):
    result = leaflet_cmd("check", "--json", cwd=ROOT)
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["catalogs"] == 2 * len(SHIPPED_LOCALES)
    assert report["errors"] == 0
    # Warnings are for a person to look at; many on finished catalogs would mean the checks cry wolf.
    translation_warnings = [f for f in report["findings"] if f["locale"] != "en"]
    assert len(translation_warnings) <= len(SHIPPED_LOCALES), "\n".join(f["message"] for f in translation_warnings)
    for finding in report["findings"]:
        assert set(finding) == {"severity", "check", "domain", "locale", "msgctxt", "excerpt", "message", "where"}


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_the_shipped_catalogs_pass_msgfmt_check(locale, msgfmt_check):
    for domain in ("leaflet", "hip-joint-denervation"):
        msgfmt_check(SHIPPED.po(domain, locale))


def test_check_takes_files_and_locales_and_says_what_it_checked(leaflet_cmd, tmp_path):
    write_po(tmp_path / "tr", entry("Fast for 6-8 hours.", "Ayune 6-8 horas."))
    write_po(tmp_path / "tr", entry("Fast for 6-8 hours.", "Jeûnez 6-9 heures."), locale="fr")
    ok = leaflet_cmd("check", "-l", "es", "--translations", tmp_path / "tr", cwd=tmp_path)
    assert ok.returncode == 0 and "checked 1 catalogs: 0 errors" in ok.stdout
    bad = leaflet_cmd("check", tmp_path / "tr" / "fr" / "LC_MESSAGES" / "demo.po", cwd=tmp_path)
    assert bad.returncode == 1
    [line] = [line for line in bad.stdout.splitlines() if ": error: " in line]
    assert line.startswith(str(tmp_path / "tr" / "fr" / "LC_MESSAGES" / "demo.po") + ":")
    assert 'demo fr [preparation] "Fast for 6-8 hours."' in line
    missing = leaflet_cmd("check", tmp_path / "nothing.po", cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "no such catalog" in missing.stderr
    # a gate that checked nothing does not pass
    (tmp_path / "empty").mkdir()
    for args in (["check", tmp_path / "empty"], ["check", "-l", "de", "--translations", tmp_path / "tr"]):
        nothing = leaflet_cmd(*args, cwd=tmp_path)
        assert nothing.returncode == 1 and "no catalogs to check" in nothing.stderr and nothing.stderr.count("\n") == 1


def test_every_decimal_digit_of_every_script_counts_as_its_ascii_digit():
    import sys
    import unicodedata

    from leaflet.checks import numbers

    digits = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isdecimal()]
    assert len(digits) > 600
    for digit in digits:
        value = str(unicodedata.decimal(digit))
        assert numbers(f"take {digit}{digit} mg") == numbers(f"take {value}{value} mg"), f"U+{ord(digit):04X}"


# --- pronunciation entries and spoken forms -------------------------------------------------------------------


def entry_errors(written: str, spoken: str, locale: str = "es", table: str = "say") -> list[str]:
    from leaflet.speech.pronunciation import Entry

    return [code for severity, code, _ in checks._pronunciation_problems(Entry(written, spoken, 1, table), locale)
            if severity == "error"]


@pytest.mark.parametrize("written, spoken", [
    ("0 1 mg", "1 0 mg"), ("0.5 mg", "5.0 mg"), ("2 500 ml", "2500 ml"), ("1,500 mg", "1.500 mg"),
    ("1/2 taza", "2/1 taza"), ("−5 grados", "5 grados"), ("10² m", "10³ m"), ("½ taza", "media taza"),
    ("三次", "五次"), ("١٢ مرة", "21 مرة"),
])
def test_a_pronunciation_entry_says_its_numbers_exactly_as_written(written, spoken):
    assert entry_errors(written, spoken) == ["pron-number"]


@pytest.mark.parametrize("written, spoken", [
    (",", "."), ("½", "1/2"), ("−5", "5"), ("1/2", "1/2."), ("<", "more than"), ("10²", "10^2"), ("0 1", "1 0"),
    ("x", "."), ("mg", ","),
])
def test_a_side_with_no_letter_must_be_a_known_symbol(written, spoken):
    assert "pron-symbol" in entry_errors(written, spoken)


@pytest.mark.parametrize("written, spoken", [
    ("℃", "grados Celsius"), ("%", "por ciento"), ("～", "到"), ("5mg", "5 miligramos"), ("٣ mg", "3 mg"),
    ("p. ej.", "por ejemplo"),
])
def test_units_symbols_and_numbers_said_as_written_pass(written, spoken):
    assert entry_errors(written, spoken) == []


@pytest.mark.parametrize("written, spoken, locale", [
    ("Do not eat", "Do not wait, eat", "en"), ("Do not drive", "Drive, do not walk", "en"),
    ("No coma", "No espere, coma", "es"), ("prohibido comer", "comer", "es"), ("interdit", "permis", "fr"),
    ("запрещено", "можно", "ru"), ("वर्जित", "ठीक", "hi"), ("عدم الأكل", "الأكل", "ar"),
    ("드시지 마십시오", "드십시오", "ko"), ("먹지 마라", "먹어라", "ko"), ("zabronione", "dozwolone", "pl"),
    ("proibido", "permitido", "pt_BR"), ("bawal", "puwede", "fil"),
])
def test_a_negation_word_in_an_entry_is_an_error_even_when_the_count_is_kept(written, spoken, locale):
    assert entry_errors(written, spoken, locale) == ["pron-negation"]


def test_a_contraction_written_out_is_the_one_negation_an_entry_may_hold():
    assert entry_errors("don't", "do not", "en") == []
    assert entry_errors("can't", "cannot", "en") == []
    assert entry_errors("don't", "do", "en") == ["pron-negation"]


def test_numbers_in_the_english_list_are_an_error_and_elsewhere_a_warning():
    assert entry_errors("5", "nine", "en", "numbers") == ["pron-number"]
    assert entry_errors("45", "karannsenk", "ht", "numbers") == []


@pytest.mark.parametrize("percent", ["no {number} por ciento", "{number} {number} por ciento", "{number} 0 por ciento"])
def test_the_percent_form_says_its_number_once_with_no_other_and_no_negation(percent):
    assert entry_errors("%", percent, "es", "forms")


@pytest.mark.parametrize("translation", [
    "de {low} a {low}{high}", "de {low} a {high}0", "no de {low} a {high}", "de {high} a {low}", "de {low}{high}",
    "de {low} {high}", "de {low} a", "{low} a {high} a {high}",
])
def test_the_spoken_range_form_says_each_number_once_in_order_with_words_between(tmp_path, translation):
    found = findings(tmp_path, entry("{low} to {high}", translation, context="spoken"))
    assert "spoken-form" in codes(found, "error"), found


def test_the_shipped_range_forms_pass(tmp_path):
    for locale in SHIPPED_LOCALES:
        catalog = read_catalog(SHIPPED.po("leaflet", locale), domain="leaflet")
        message = catalog.get("{low} to {high}", context="spoken")
        assert message is not None and message.string, locale
        assert not list(checks.check_spoken_form(checks.Pair.of(message), locale)), (locale, message.string)
