"""The pronunciation list's own guards, adversarially: a blank written form (" ", "", a tab, a no-break space)
is never given to the voice, which would say its spoken form at every space, and `leaflet check` reports it as
an error; the limits on an entry count code points, as the list's reader does, so that the vowel marks of Hindi
or Arabic do not let an entry past them. Every expectation is written out here, never read from leaflet's own
tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.checks import check_lists, pronunciation_findings
from leaflet.speech import spoken
from leaflet.speech.pronunciation import Entry, PronunciationList, read_list

# --- a blank written form ----------------------------------------------------------------------------------

BLANK_KEYS = '''[say]
" " = "bonjour"
"" = "rien"
"\\u00A0" = "espace"
"\\t" = "tabulation"
"mg" = "milligramme"
'''
BLANK = ("the written form is blank ({}): the voice would say the entry at every space (or nowhere); the entry"
         " is not used: remove it, or write the word it says")


def french_list(root: Path, text: str = BLANK_KEYS) -> Path:
    path = root / "fr" / "pronunciation.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_blank_written_form_is_no_entry_the_voice_is_given(tmp_path):
    path = french_list(tmp_path)
    found = read_list(path)
    assert [(e.written, e.spoken) for e in found.entries] == [("mg", "milligramme")]
    rules = spoken.load(tmp_path, "fr")
    assert rules.say == (("mg", "milligramme"),)
    assert spoken.spoken("Prenez 2 mg le matin.", rules) == "Prenez 2 milligramme le matin."


def test_a_blank_written_form_is_an_error_naming_its_line(tmp_path):
    path = french_list(tmp_path)
    found = [(f.severity, f.code, f.message, f.where) for f in check_lists([path])]
    assert found == [
        ("error", "pron-empty", BLANK.format("U+0020"), f"{path}:2"),
        ("error", "pron-empty", BLANK.format("nothing"), f"{path}:3"),
        ("error", "pron-empty", BLANK.format("U+00A0"), f"{path}:4"),
        ("error", "pron-empty", BLANK.format("U+0009"), f"{path}:5"),
    ]


def test_a_list_with_only_written_forms_passes(tmp_path):
    """The test above can fail."""
    assert check_lists([french_list(tmp_path, '[say]\n"mg" = "milligramme"\n')]) == []


def test_a_blank_written_form_under_numbers_is_an_error_too():
    entry = Entry(" ", "trente et un", 3, "numbers")
    plist = PronunciationList(Path("p.toml"), (), None, 0, "", (entry,))
    assert [(e, f.severity, f.code, f.message) for e, f in pronunciation_findings(plist, "fr")] == [
        (entry, "error", "pron-empty", BLANK.format("U+0020"))]


def test_leaflet_check_fails_on_a_list_with_a_blank_written_form(tmp_path, leaflet_cmd):
    path = french_list(tmp_path / "translations")
    result = leaflet_cmd("check", "--translations", tmp_path / "translations", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    expected = [(2, "U+0020"), (3, "nothing"), (4, "U+00A0"), (5, "U+0009")]
    assert len(errors) == len(expected), errors
    for line, (number, blank) in zip(errors, expected):
        assert line.startswith(f"{path}:{number}: error: pronunciation fr [say]") and line.endswith(BLANK.format(blank))
    assert "Traceback" not in result.stderr


# --- the limits count code points ---------------------------------------------------------------------------

# The limits of speech/pronunciation.py, written out: 100 code points written, 400 spoken. A Devanagari or
# Arabic syllable is a letter and a vowel mark, two code points.
HINDI_KA = "\u0915\u093e"  # का
ARABIC_BA = "\u0628\u064e"  # بَ


def codes(written: str, spoken_form: str, language: str) -> list[tuple[str, str]]:
    plist = PronunciationList(Path("p.toml"), (Entry(written, spoken_form, 3, "say"),), None, 0, "")
    return [(f.severity, f.code) for e, f in pronunciation_findings(plist, language) if e]


@pytest.mark.parametrize("language, syllable", [("hi", HINDI_KA), ("ar", ARABIC_BA)])
def test_a_spoken_form_over_400_code_points_is_over_the_limit_whatever_its_marks(language, syllable):
    assert len(syllable * 201) == 402
    assert codes("mg", syllable * 201, language) == [("error", "pron-limit")]


@pytest.mark.parametrize("language, syllable", [("hi", HINDI_KA), ("ar", ARABIC_BA)])
def test_a_spoken_form_of_exactly_400_code_points_is_within_the_limit(language, syllable):
    assert codes("mg", syllable * 200, language) == [("warning", "pron-length")]  # long, but used


@pytest.mark.parametrize("language, syllable", [("hi", HINDI_KA), ("ar", ARABIC_BA)])
def test_a_written_form_over_100_code_points_is_over_the_limit_whatever_its_marks(language, syllable):
    assert codes(syllable * 51, syllable * 51, language) == [("error", "pron-limit")]
    assert codes(syllable * 50, syllable * 50, language) == []  # exactly 100: within


# --- what `leaflet check` says of a list: the percent form, each finding's fields, the [numbers] warning ----------


def test_the_percent_form_is_checked_as_an_entry_of_its_own_table(tmp_path):
    """A percent form that says {number} twice would make the voice say "50 50 percent": an error, named by its
    table and line, shown as "% = ..."."""
    path = french_list(tmp_path, '[say]\n"mg" = "milligramme"\n\n[forms]\npercent = "{number} pour {number} cent"\n')
    found = [finding.to_dict() for finding in check_lists([path])]
    assert found == [{
        "severity": "error", "check": "pron-number", "domain": "pronunciation", "locale": "fr", "msgctxt": "forms",
        "excerpt": "% = {number} pour {number} cent", "message": "the percent form says {number} once and no other number",
        "where": f"{path}:5"}]


def test_a_finding_shows_the_written_form_cut_at_30_characters_and_the_spoken_at_40(tmp_path):
    written = "Hydroxychloroquinesulfatetabletten"  # 34 characters
    said = "hydroxychloroquine sulfate tablets, said slowly: 15"  # 51 characters, a number the written form lacks
    path = french_list(tmp_path, f'[say]\n"{written}" = "{said}"\n')
    (finding,) = check_lists([path])
    assert finding.to_dict() == {
        "severity": "error", "check": "pron-number", "domain": "pronunciation", "locale": "fr", "msgctxt": "say",
        "excerpt": "Hydroxychloroquinesulfatetabl\u2026 = hydroxychloroquine sulfate tablets, sai\u2026",
        "message": "the spoken form says a number the written form does not have: 15", "where": f"{path}:2"}


def test_numbers_said_in_words_are_one_warning_naming_how_many_the_first_and_last_and_the_first_line(tmp_path):
    path = french_list(tmp_path, '[say]\n"mg" = "milligramme"\n\n[numbers]\n"91" = "quatre-vingt-onze"\n'
                                 '"31" = "trente et un"\n"71" = "soixante et onze"\n')  # the first is not the least
    found = [finding.to_dict() for finding in check_lists([path])]
    assert found == [{
        "severity": "warning", "check": "pron-numbers", "domain": "pronunciation", "locale": "fr",
        "msgctxt": "numbers", "excerpt": "",
        "message": "3 numbers are said in words (91 ... 71): leaflet cannot check that the words say the number; a"
                   " speaker of the language must listen to them (the guide's <domain>.spoken.txt lists each sentence)",
        "where": f"{path}:5"}]


def test_a_list_without_numbers_in_words_has_no_such_warning(tmp_path):
    path = french_list(tmp_path, '[say]\n"mg" = "milligramme"\n')
    assert check_lists([path]) == []
