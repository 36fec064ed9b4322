"""The reader on any input: any text parses into a Procedure or is refused with a SourceError in one line, never
another exception; any bytes likewise through the file-reading entry point. Bounded: the file runs in seconds."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leaflet import reader
from leaflet.errors import LeafletError, SourceError
from leaflet.model import Procedure
from leaflet.reader.textfile import decode, split_lines

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# The pieces procedure files are made of, and what clinics' files really hold around them.
PIECES = [
    "Short visit", "CPT4 code", "CPT4 code: 27035", "CPT\u00ae code(s) - 0232T", "Name of the Procedure:", "Short Visit",
    "Common names:", "Also known as: knee check", "Medical terms:", "Laterality: N/A", "PATIENT INFORMATION SHEET",
    "Summary", "SUMMARY:", "Purpose.", "3. Preparation", "## Recovery", "**Benefits**", "__Risks__", "Risks & Complications",
    "Setting/Personnel", "Duration: 30 to 60 minutes.", "Follow-up", "When should I call?", "The team will include:",
    "Common: bruising.", "- Go home the same day.", "* item", "\u2022 bullet", "\u2013 dash item", "\uf0b7\tWord bullet",
    "o\tsub item", "  - nested", "1. You sit on the bed.", "2) Hold still.", "   a. lettered", "b) lettered",
    "The nurse looks at your knee <and> asks questions & listens.", "<font size=200>big</font>", "&amp; &lt;b&gt;",
    "<b>bold</b>", "{placeholder}", "%(name)s", "It takes 10-15 minutes.", "Call 555 0100, e.g. at night.",
    "Hip-", "joint", "--", "----", "====", "Cardiology Patient Information  Page 1 of 2", "", "   ", "\t", "#", "**",
    ":", "-", "o", "a.", "1.", "?", "\u00bf", "\ufeff", "\u200b", "\u00a0", "\u0301", "e\u0301", "\u202e", "\u0627\u0644",
    "\u05e9\u05dc\u05d5\u05dd", "\u4e2d\u6587", "\U0001f600", "\x0c", "\u2028", "\x85", "\x00", "\x1b[31m", "\x7f",
]
LINE_ENDS = ["\n", "\r\n", "\r", "\n\n", "\u2029", "\x0b"]

any_piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=30))
procedure_like = st.builds(
    lambda bom, parts, end: bom + end.join(parts), st.sampled_from(["", "\ufeff"]), st.lists(any_piece, max_size=30),
    st.sampled_from(LINE_ENDS),
)


def parse_or_refuse(text: str) -> Procedure | None:
    """The reader's contract: a Procedure, or a SourceError in one line naming the source; nothing else."""
    try:
        procedure = reader.parse(text, source="clinic/visit.txt")
    except SourceError as refusal:
        assert_one_line(refusal)
        return None
    assert_well_formed(procedure, len(split_lines(text)) or 1)
    return procedure


def assert_one_line(refusal: LeafletError) -> None:
    assert refusal.message.strip() and str(refusal).startswith("clinic/visit.txt")
    assert not re.search(r"[\x00-\x1f\x7f\x85\u2028\u2029]", str(refusal)), repr(str(refusal))


def assert_well_formed(procedure: Procedure, lines: int) -> None:
    assert procedure.sections
    for section in procedure.sections:
        assert section.blocks and 1 <= section.line <= lines
        for block in section.blocks:
            assert block.text and block.text == block.text.strip() and 1 <= block.line <= lines
    json.dumps(procedure.to_dict(), ensure_ascii=False)  # inspect --json can always show it


@BOUNDED
@given(st.text())
def test_any_unicode_text_parses_or_is_refused_in_one_line(text):
    parse_or_refuse(text)


@BOUNDED
@given(procedure_like)
@example("Summary\n" + "x" * (reader.MAX_WORD + 1))
@example("\ufeffShort visit\r\nSummary\r\n<b>&amp;</b>\r\n- a & b < c\r\n")
def test_text_built_from_a_procedures_pieces_parses_or_is_refused_in_one_line(text):
    parse_or_refuse(text)


@BOUNDED
@given(st.lists(st.sampled_from(PIECES[:60]), min_size=1, max_size=12), st.integers(1, 12), st.sampled_from(LINE_ENDS[:3]))
def test_a_word_too_long_to_be_one_is_refused_with_its_line(lines, at, end):
    lines = ["Summary", "A short visit.", *lines]
    at = min(at, len(lines))
    lines.insert(at, "see " + "\u4e2d" * (reader.MAX_WORD + 1) + " here")
    with pytest.raises(SourceError, match="without a space") as refusal:
        reader.parse(end.join(lines), source="clinic/visit.txt")
    assert str(refusal.value).startswith(f"clinic/visit.txt:{at + 1}: ")


@BOUNDED
@given(st.one_of(st.binary(max_size=600), procedure_like.map(lambda t: t.encode("utf-8")),
                 procedure_like.map(lambda t: t.encode("utf-16")), procedure_like.map(lambda t: t.encode("cp1252", "replace"))))
def test_any_bytes_read_from_a_file_parse_or_are_refused_in_one_line(tmp_path, data):
    path = tmp_path / "visit.txt"
    path.write_bytes(data)
    try:
        procedure = reader.read(path)
    except SourceError as refusal:
        assert str(refusal).startswith(str(path)) and "\n" not in str(refusal)
        return
    assert procedure.domain == "visit" and procedure.sections


@BOUNDED
@given(st.binary(max_size=600))
def test_any_bytes_decode_to_text_or_are_refused_in_one_line(data):
    try:
        text = decode(data, "clinic/visit.txt")
    except SourceError as refusal:
        assert_one_line(refusal)
        return
    assert text.strip() and "\x00" not in text and not text.startswith("\ufeff")


# Text as an editor writes it: no control characters, which a file may only be refused for.
editor_text = procedure_like.filter(lambda t: not re.search(r"[\x00-\x08\x0e-\x1f\x7f]", t))


@BOUNDED
@given(editor_text)
@example("\ufeff\ufeff")  # a BOM saved inside another: was "empty" in UTF-8 and "no section" with a BOM
def test_the_same_text_reads_the_same_in_utf8_with_or_without_bom_and_in_utf16(tmp_path, text):
    outcomes = []
    for name, data in (("plain", text.encode("utf-8")), ("bom", b"\xef\xbb\xbf" + text.encode("utf-8")),
                       ("utf16", text.encode("utf-16"))):
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        try:
            document = reader.read(path).to_dict()
        except SourceError as refusal:
            outcomes.append(("refused", refusal.message.split(" (")[0]))
            continue
        document.pop("domain")
        outcomes.append(("read", json.dumps(document, sort_keys=True, ensure_ascii=False).replace(str(path), "")))
    assert outcomes[0] == outcomes[1] == outcomes[2]
