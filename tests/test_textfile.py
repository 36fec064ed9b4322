"""Bytes to text: encodings, byte-order marks, line ends, and refusal of what is not text."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from leaflet.errors import SourceError
from leaflet.reader.textfile import decode, split_lines

from conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")

FRENCH = (
    "Préparation\n"
    "• Ne pas manger pendant 6–8 heures avant l’intervention.\n"
    "• Arrêter certains médicaments (p. ex. “anticoagulants”).\n"
)
SPANISH = (
    "Riesgos\n"
    "• Común: dolor temporal – hinchazón o “moretones”.\n"
    "• Rara: daño nervioso; el año pasado fue poco frecuente.\n"
)


def test_plain_utf8_decodes_unchanged():
    assert decode(FRENCH.encode("utf-8"), "f.txt") == FRENCH


def test_utf8_bom_is_dropped():
    assert decode(codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "f.txt") == FRENCH


@pytest.mark.parametrize(
    "bom, encoding",
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf-16-le", "utf-16-be"],
)
def test_utf16_with_bom_decodes(bom, encoding):
    assert decode(bom + SPANISH.encode(encoding), "f.txt") == SPANISH


@pytest.mark.parametrize("text", [FRENCH, SPANISH], ids=["french", "spanish"])
def test_windows_1252_decodes_exactly(text):
    assert decode(text.encode("cp1252"), "f.txt") == text


def test_windows_1252_typographic_punctuation_decodes_exactly():
    text = "Summary\nThe patient\u2019s nurse \u2013 or doctor \u2013 explains the \u201cconsent\u201d form \u2022 gently.\n"
    assert decode(text.encode("cp1252"), "f.txt") == text


def test_line_ends_and_tabs_are_kept_for_the_reader():
    text = "Summary\r\n\tIndented.\rNext.\nLast."
    assert decode(text.encode("utf-8"), "f.txt") == text


def test_word_processor_breaks_read_as_line_ends():
    assert decode("One\x0cTwo\u2028Three\x0bFour".encode("utf-8"), "f.txt") == "One\nTwo\nThree\nFour"


def test_text_is_normalized_to_nfc():
    assert decode("Re\u0301sume\u0301".encode("utf-8"), "f.txt") == "Résumé"


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n", codecs.BOM_UTF8 + b" \n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_empty_or_blank_text_is_refused_naming_the_file(data):
    with pytest.raises(SourceError, match="empty") as err:
        decode(data, "clinic/empty.txt")
    assert str(err.value).startswith("clinic/empty.txt: ")


def test_nul_byte_is_refused_with_its_offset():
    with pytest.raises(SourceError, match="NUL byte at byte 5") as err:
        decode(b"Title\x00more", "scan.txt")
    assert str(err.value).startswith("scan.txt: ")


def test_png_bytes_are_refused():
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
    with pytest.raises(SourceError, match="not a text file"):
        decode(png, "photo.txt")


def test_control_character_is_refused_naming_file_and_line():
    with pytest.raises(SourceError, match="control character U\\+0007") as err:
        decode(b"Title\r\nSummary\r\nBeep\x07.\r\n", "odd.txt")
    assert str(err.value).startswith("odd.txt:3: ")


def test_bom_that_lies_about_the_encoding_is_refused():
    with pytest.raises(SourceError, match="byte-order mark") as err:
        decode(codecs.BOM_UTF8 + b"caf\xe9", "liar.txt")
    assert str(err.value).startswith("liar.txt: ")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["CRLF", "CR", "LF"])
def test_split_lines_on_each_line_end(newline):
    assert split_lines(newline.join(["a", "", "b", ""])) == ["a", "", "b"]


def test_split_lines_on_mixed_line_ends():
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]


def test_split_lines_keeps_a_trailing_blank_line_before_the_last_end():
    assert split_lines("a\n\n") == ["a", ""]


def test_split_lines_keeps_tabs_and_other_unicode_breaks_inside_lines():
    assert split_lines("a\tb\x85c\u2028d\n") == ["a\tb\x85c\u2028d"]


def test_utf8_damaged_in_the_middle_is_refused_not_garbled():
    good = "Résumé\nLe café est prêt. Évitez de manger.\nRisques\n".encode("utf-8")
    with pytest.raises(SourceError, match="not valid UTF-8") as err:
        decode(good + b"- Douleur \xe9 ici\n", "clinic/damaged.txt")
    assert str(err.value).startswith("clinic/damaged.txt:4: ")


def test_windows_1252_with_a_pair_that_looks_like_utf8_is_still_windows_1252():
    # "Ñ" followed by a closing quote is a valid UTF-8 pair by accident; the rest says Windows-1252.
    text = "Preparación\n• Tome la medicación “ESPAÑA” según la indicación médica.\n"
    assert decode(text.encode("cp1252"), "f.txt") == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_decodes(encoding):
    assert decode(SPANISH.encode(encoding), "f.txt") == SPANISH


def test_nul_bytes_that_are_not_utf16_are_still_refused():
    with pytest.raises(SourceError, match="NUL byte"):
        decode(b"Summary\x00\x00\x00\x00text here\n", "f.txt")


# Words with the characters beyond ASCII that clinics' Windows-1252 files hold: names, quotes, units, money.
WESTERN_WORDS = [
    "O’Brien’s", "“sore throat”", "‘mild’", "38°C", "½ tablet", "¼", "¾", "€120", "£40", "¥", "café", "naïve",
    "Müller", "Gómez", "Nuñez", "Françoise", "Zoë", "Ångström", "Søren", "Œdème", "cœur", "±2 mm",
    "5–10 days", "now — then", "wait…", "Tylenol®", "Advil™", "© 2026", "§ 4", "¶", "µg", "¿Dolor?", "¡Alto!",
    "señor", "São Paulo", "Straße", "Ærø", "Þór", "Ýmir", "déjà vu", "à la", "crème brûlée", "•", "·", "×2",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(WESTERN_WORDS)), min_size=1, max_size=4))
def test_windows_1252_with_a_few_special_characters_decodes_exactly(insertions):
    # A few typographic quotes or accents make East Asian encodings look as plausible as Windows-1252 to a
    # detector; the text must come back exactly, not with the letter after the quote swallowed.
    text = SEED_TEXT
    for position, word in insertions:
        at = text.find(" ", position % len(text)) + 1  # at the start of a word
        text = text[:at] + word + " " + text[at:]
    data = text.encode("cp1252")
    assume(not _is_utf8(data))  # such bytes are valid UTF-8 as well, and read as UTF-8, as they should be
    assert decode(data, "f.txt") == text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_polish_in_windows_1250_is_not_read_as_windows_1252():
    text = "Przygotowanie\n- Nie jeść przez 6 godzin przed zabiegiem. Zabierz listę leków.\n- Możesz odczuwać łagodny ból.\n"
    assert decode(text.encode("cp1250"), "f.txt") == text


def test_russian_in_windows_1251_decodes():
    text = "Подготовка\n- Не ешьте за 6 часов до процедуры.\n- Возьмите список лекарств.\n"
    assert decode(text.encode("cp1251"), "f.txt") == text
