"""The heading lexicon: each section key from the many ways clinics phrase it; [headings] for a clinic's own."""

from __future__ import annotations

import pytest

from leaflet import reader
from leaflet.config import ConfigError, load
from leaflet.reader.headings import LEXICON, heading_key, lexicon_rule

from conftest import run_leaflet

PHRASINGS = {
    # questions and synonyms the issue names, and their kin
    "Why is this test done?": "purpose",
    "How do I prepare?": "preparation",
    "Before your visit": "preparation",
    "On the day": "preparation",
    "Aftercare": "recovery",
    "Going home": "recovery",
    "What happens after?": "recovery",
    "Your care team": "personnel",
    "Who will do my procedure?": "personnel",
    "What you may feel": "experience",
    "Other options": "alternatives",
    "What happens during the procedure?": "procedure",
    "How long will it take?": "duration",
    "Where will it take place?": "setting",
    "Are there any risks?": "risks",
    "What are the benefits?": "benefits",
    "What is a colonoscopy?": "summary",
    "Who needs this test?": "indications",
    # the safety section, however it is put
    "When to call us": "warning",
    "Call 911 if": "warning",
    "Get help right away if": "warning",
    "Warning signs": "warning",
    "CALL US RIGHT AWAY IF YOU HAVE": "warning",
    "When should I call the doctor?": "warning",
    "¿Cuándo debe consultar?": "warning",
    # headings no key fits stay the clinic's own
    "Parking": "other",
    "Cost and insurance": "other",
    "About our clinic": "other",
    "Questions? Call us": "other",
}


@pytest.mark.parametrize("heading,key", PHRASINGS.items())
def test_the_lexicon_keys_a_heading_by_the_words_it_contains(heading, key):
    assert heading_key(heading) == key


def test_the_seed_headings_keep_their_keys():
    assert [s.key for s in reader.read(reader.find_procedures(["assets/procedures"])[0]).sections][:3] == [
        "summary", "purpose", "indications"
    ]


def test_every_lexicon_rule_names_a_standard_key():
    from leaflet.model import SECTION_KEYS

    assert {key for key, _ in LEXICON} == set(SECTION_KEYS) | {"other"}


def test_the_rule_that_matched_is_said_for_explain():
    assert lexicon_rule("When should I call the doctor?") == "when call/contact/phone/ring/seek/get"
    assert lexicon_rule("Consent") is None


def test_a_clinics_own_headings_come_before_the_lexicon():
    text = "Knee scope\nNach der Behandlung\nRest for two days.\nParking\nUse the north car park.\n"
    plain = reader.parse(text)
    assert [s.key for s in plain.sections] == ["other", "other"]
    own = reader.parse(text, headings={"nach der behandlung": "recovery", "parking": "setting"})
    assert [(s.key, s.heading) for s in own.sections] == [("recovery", "Nach der Behandlung"), ("setting", "Parking")]


def test_headings_in_leaflet_toml_are_read_by_inspect_and_build(tmp_path):
    (tmp_path / "leaflet.toml").write_text('[headings]\n"Nach der Behandlung:" = "recovery"\n', encoding="utf-8")
    (tmp_path / "knee.txt").write_text(
        "Knee scope\nSummary\nA look inside the knee.\nNach der Behandlung\nRest for two days.\n", encoding="utf-8"
    )
    result = run_leaflet("inspect", "knee.txt", "--json", cwd=tmp_path, check=True)
    assert '"key": "recovery"' in result.stdout
    assert load(tmp_path / "leaflet.toml").headings == {"nach der behandlung": "recovery"}


def test_a_heading_mapped_to_an_unknown_key_is_refused_in_one_line(tmp_path):
    (tmp_path / "leaflet.toml").write_text('[headings]\n"Aftercare" = "aftercare"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be one of summary, .* not 'aftercare'"):
        load(tmp_path / "leaflet.toml")
    result = run_leaflet("inspect", "knee.txt", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
