"""The reader: procedure description files -> Procedure model, and the files it refuses."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflet import reader
from leaflet.errors import SourceError
from leaflet.model import SECTION_KEYS

from conftest import FIXTURES, SEED

HERE = FIXTURES / "reader"


def fixture(name: str) -> Path:
    return HERE / name


def fixture_text(name: str) -> str:
    return fixture(name).read_text(encoding="utf-8")


def blocks(procedure, key):
    return [(b.kind, b.text) for b in procedure.section(key).blocks]


# --- domain -----------------------------------------------------------------------------------------


def test_domain_is_the_file_stem_reduced_to_lowercase_letters_digits_and_hyphens():
    assert reader.domain_for("some/dir/Hip Joint_Denervation (v2).txt") == "hip-joint-denervation-v2"


def test_domain_of_the_seed_is_its_file_stem():
    assert reader.domain_for(SEED) == "hip-joint-denervation"


@pytest.mark.parametrize("name", ["leaflet.txt", "Leaflet.txt", "(leaflet).txt"])
def test_domain_leaflet_is_reserved(name):
    with pytest.raises(SourceError) as err:
        reader.domain_for(Path("procedures") / name)
    assert name in str(err.value)
    assert "reserved" in str(err.value)


def test_read_refuses_a_file_named_leaflet(tmp_path):
    path = tmp_path / "leaflet.txt"
    path.write_bytes(SEED.read_bytes())
    with pytest.raises(SourceError, match="reserved"):
        reader.read(path)


def test_read_takes_the_domain_from_the_file_name(tmp_path):
    path = tmp_path / "Hip Joint_Denervation (v2).txt"
    path.write_bytes(SEED.read_bytes())
    assert reader.read(path).domain == "hip-joint-denervation-v2"


# --- decoding ---------------------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
    "utf-16-le with BOM": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be with BOM": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "windows-1252": lambda text: text.encode("cp1252"),
}


@pytest.mark.parametrize("name", ["french.txt", "spanish.txt"])
@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_encodings_decode_to_exactly_the_same_procedure(tmp_path, name, encoding):
    expected = reader.read(fixture(name))
    path = tmp_path / name
    path.write_bytes(ENCODINGS[encoding](fixture_text(name)))
    got = reader.read(path)
    assert got.to_dict() == expected.to_dict()
    assert [b.line for s in got.sections for b in s.blocks] == [b.line for s in expected.sections for b in s.blocks]


def test_windows_1252_french_text_decodes_exactly(tmp_path):
    path = tmp_path / "french.txt"
    path.write_bytes(fixture_text("french.txt").encode("cp1252"))
    p = reader.read(path)
    assert p.title.text == "Dénervation de l\u2019articulation de la hanche"
    assert p.name.text == "Dénervation \u2013 hanche"
    assert blocks(p, "preparation") == [
        ("item", "Ne pas manger pendant 6\u20138 heures avant l\u2019intervention."),
        ("item", "Arrêter certains médicaments (p. ex. \u201canticoagulants\u201d)."),
    ]


def test_windows_1252_spanish_text_decodes_exactly(tmp_path):
    path = tmp_path / "spanish.txt"
    path.write_bytes(fixture_text("spanish.txt").encode("cp1252"))
    p = reader.read(path)
    assert p.name.text == "Denervación de la cadera"
    assert blocks(p, "risks") == [
        ("item", "Común: dolor temporal \u2013 hinchazón o \u201cmoretones\u201d."),
        ("item", "Rara: daño nervioso; el año pasado fue poco frecuente."),
    ]


def test_utf8_bom_is_not_part_of_the_title(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-8-sig"))
    assert reader.read(path).title.text.startswith("Denervation, hip joint")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["CRLF", "CR", "LF"])
def test_line_ends_crlf_cr_and_lf_read_alike(tmp_path, newline):
    expected = reader.read(fixture("blocks.txt"))
    path = tmp_path / "blocks.txt"
    path.write_bytes(fixture_text("blocks.txt").replace("\n", newline).encode("utf-8"))
    got = reader.read(path)
    assert got.to_dict() == expected.to_dict()
    assert [(s.line, [b.line for b in s.blocks]) for s in got.sections] == [
        (s.line, [b.line for b in s.blocks]) for s in expected.sections
    ]


def test_mixed_line_ends_count_lines_correctly():
    p = reader.parse("Title\r\nSummary\rFirst.\n\r\nSecond.\n")
    assert [(b.line, b.text) for b in p.section("summary").blocks] == [(3, "First."), (5, "Second.")]


def test_tab_indented_item_is_nested():
    p = reader.parse("Title\nRecovery\n- Rest.\n\t- Keep the leg raised.\n- Walk.\n")
    assert [(b.text, b.level) for b in p.section("recovery").blocks] == [
        ("Rest.", 0),
        ("Keep the leg raised.", 1),
        ("Walk.", 0),
    ]


def test_tabs_inside_a_line_read_as_one_space():
    p = reader.parse("Title\nSummary\nTake\tthe tablets\t\twith water.\n")
    assert blocks(p, "summary") == [("paragraph", "Take the tablets with water.")]


def test_tab_after_the_mark_is_removed_with_it():
    p = reader.parse("Title\nRecovery\n-\tRest for a day.\n")
    assert blocks(p, "recovery") == [("item", "Rest for a day.")]


# --- header -----------------------------------------------------------------------------------------


def test_title_is_the_first_line():
    p = reader.read(fixture("code-same-line.txt"))
    assert (p.title.text, p.title.line) == ("Arthroscopy, knee, surgical; with debridement", 1)


def test_code_on_the_same_line_after_a_colon():
    assert reader.read(fixture("code-same-line.txt")).code == "29877"


def test_code_on_the_same_line_without_a_colon():
    assert reader.parse("Title\nCPT4 code 27035\nSummary\nText.\n").code == "27035"


@pytest.mark.parametrize(
    "line, code",
    [
        ("CPT-4 Code: 64624", "64624"), ("CPT\u00ae code: 64624", "64624"), ("CPT code(s): 64624, 64625", "64624, 64625"),
        ("CPT4 Code #64624", "64624"), ("CPT: 0232T", "0232T"), ("CPT 4 code - 20610", "20610"),
        ("CPT4 code \u2013 20610", "20610"), ("CPT4 codes: 64624 and 64625", "64624 and 64625"), ("CPT4 code N/A", None),
        ("CPT4 code D7240", "D7240"),
    ],
)
def test_code_label_variants(line, code):
    p = reader.parse(f"Title line\n{line}\nSummary\nText.\n")
    assert (p.code, p.title.text, p.warnings) == (code, "Title line", ())


def test_a_code_that_does_not_look_like_one_is_kept_with_a_warning():
    p = reader.parse("Title\nCPT4 code: see below\nSummary\nText.\n", source="x.txt")
    assert p.code == "see below"
    assert p.warnings == ("x.txt:2: the CPT code 'see below' does not look like one (such as 27035); kept as written",)


def test_code_on_the_next_line():
    assert reader.read(fixture("code-next-line.txt")).code == "29877"


def test_code_absent_after_the_label_is_none_and_json_null():
    p = reader.read(SEED)
    assert p.code is None
    assert '"code": null' in json.dumps(p.to_dict())


def test_code_label_missing_altogether_is_none():
    p = reader.parse("Title\nName of the Procedure: Foo\nSummary\nText.\n")
    assert p.code is None
    assert p.name.text == "Foo"


def test_name_on_the_same_line():
    p = reader.read(fixture("code-same-line.txt"))
    assert (p.name.text, p.name.line) == ("Knee Arthroscopy with Debridement", 3)


def test_name_on_the_next_line():
    p = reader.read(fixture("code-next-line.txt"))
    assert (p.name.text, p.name.line) == ("Knee Arthroscopy with Debridement", 5)


def test_name_on_the_next_line_is_not_mistaken_for_a_heading():
    p = reader.parse("Title\nName of the Procedure:\nKnee Arthroscopy\nOverview\nA look inside the knee.\n")
    assert (p.name.text, p.name.line) == ("Knee Arthroscopy", 3)
    assert [(s.key, s.heading) for s in p.sections] == [("summary", "Overview")]


def test_common_names_wrapped_onto_the_next_line_join_with_one_space():
    p = reader.read(fixture("code-same-line.txt"))
    assert (p.common_names.text, p.common_names.line) == ("Keyhole knee surgery, Knee scope, Knee clean-out", 4)


def test_medical_terms_wrapped_onto_the_next_line_join_with_one_space():
    p = reader.read(fixture("code-same-line.txt"))
    assert p.medical_terms.text == "Arthroscopic debridement of the knee joint and removal of loose bodies"
    assert p.medical_terms.line == 6


def test_header_fields_of_the_seed():
    p = reader.read(SEED)
    assert p.name.text == "Denervation of the Hip Joint"
    assert p.common_names.text == "Hip joint denervation, Nerve ablation of the hip"
    assert p.medical_terms.text.startswith("Denervation of intrapelvic")


# --- sections ---------------------------------------------------------------------------------------

SEED_COUNTS = {
    "summary": 1, "purpose": 1, "indications": 3, "preparation": 3, "procedure": 6, "duration": 1,
    "setting": 1, "personnel": 3, "risks": 2, "benefits": 4, "recovery": 4, "alternatives": 5, "experience": 1,
}


def test_seed_has_the_thirteen_sections_with_their_block_counts():
    p = reader.read(SEED)
    assert [s.key for s in p.sections] == [k for k in SECTION_KEYS if k != "warning"]  # the seed says not when to get help
    assert {s.key: len(s.blocks) for s in p.sections} == SEED_COUNTS
    assert not p.warnings


def test_seed_keeps_its_headings_as_written():
    p = reader.read(SEED)
    assert p.section("procedure").heading == "Procedure Description"
    assert p.section("risks").heading == "Risks and Complications"
    assert p.section("experience").heading == "Patient Experience"


def test_headings_are_case_insensitive():
    p = reader.read(fixture("headings.txt"))
    assert (p.section("summary").heading, p.section("purpose").heading) == ("SUMMARY", "purpose")


def test_heading_trailing_colon_is_dropped_from_the_heading():
    p = reader.read(fixture("headings.txt"))
    assert p.section("summary").heading == "SUMMARY"
    assert p.section("risks").heading == "Risks & Complications"


def test_ampersand_reads_as_and_in_headings():
    p = reader.parse("Title\nRisks & Complications\n- Bruising.\nPatient  Experience\nMild pressure.\n")
    assert [s.key for s in p.sections] == ["risks", "experience"]


def test_heading_with_inline_value_starts_its_first_paragraph():
    p = reader.read(fixture("headings.txt"))
    duration = p.section("duration")
    assert (duration.heading, duration.line) == ("Duration", 8)
    assert [(b.kind, b.text, b.line) for b in duration.blocks] == [("paragraph", "20 to 30 minutes.", 8)]


def test_a_short_heading_followed_by_content_starts_a_section_keyed_by_the_lexicon():
    p = reader.read(fixture("headings.txt"))
    assert [s.key for s in p.sections] == ["summary", "purpose", "risks", "duration", "recovery", "recovery"]
    follow_up = p.sections[4]
    assert (follow_up.heading, follow_up.line) == ("Follow-up", 9)
    assert [(b.kind, b.text) for b in follow_up.blocks] == [("paragraph", "Your eye doctor will see you the next day.")]


def test_unknown_heading_with_a_trailing_colon_keeps_its_heading_without_it():
    p = reader.parse("Title\nSummary\nText.\n\nAftercare:\nKeep the wound dry.\n")
    assert (p.sections[1].key, p.sections[1].heading) == ("recovery", "Aftercare")


def test_missing_sections_are_absent_not_invented():
    p = reader.parse("Title\nSummary\nText.\nRecovery\n- Rest.\n")
    assert [s.key for s in p.sections] == ["summary", "recovery"]
    assert p.section("purpose") is None
    assert [s["key"] for s in p.to_dict()["sections"]] == ["summary", "recovery"]


def test_heading_without_content_is_left_out_with_a_warning():
    p = reader.parse("Title\nPurpose\n\nRecovery\n- Rest.\n", source="x.txt")
    assert [s.key for s in p.sections] == ["recovery"]
    assert p.warnings == ("x.txt:2: the section 'Purpose' has no text and was left out",)


# --- blocks -----------------------------------------------------------------------------------------


def test_paragraph_lines_join_with_one_space_until_a_list_item():
    p = reader.read(fixture("blocks.txt"))
    first = p.section("preparation").blocks[0]
    assert (first.kind, first.text) == (
        "paragraph",
        "Follow a clear liquid diet the day before and drink the bowel preparation as instructed.",
    )


def test_paragraph_ends_at_a_blank_line():
    p = reader.parse("Title\nSummary\nOne line\nand its wrap.\n\nA second paragraph.\n")
    assert blocks(p, "summary") == [("paragraph", "One line and its wrap."), ("paragraph", "A second paragraph.")]


@pytest.mark.parametrize("mark", ["-", "*", "\u2022", "\u2013"])
def test_bullet_marks_are_removed(mark):
    p = reader.parse(f"Title\nRecovery\n{mark} Rest for a day.\n")
    [item] = p.section("recovery").blocks
    assert (item.kind, item.text, item.ordered) == ("item", "Rest for a day.", False)


def test_all_bullet_marks_in_one_list():
    p = reader.read(fixture("blocks.txt"))
    assert blocks(p, "preparation")[1:] == [
        ("item", "Stop iron tablets a week before."),
        ("item", "Arrange for someone to drive you home, because the sedation affects your judgement."),
        ("item", "Bring a list of your medicines."),
        ("item", "Wear loose clothing."),
        ("paragraph", "Do not eat after midnight."),
    ]


@pytest.mark.parametrize("number", ["1.", "1)", "12."])
def test_numbered_steps_lose_their_number_and_are_ordered(number):
    p = reader.parse(f"Title\nProcedure Description\n{number} You lie on your side.\n")
    [item] = p.section("procedure").blocks
    assert (item.kind, item.text, item.ordered, item.level) == ("item", "You lie on your side.", True, 0)


def test_indented_item_is_nested_at_level_one():
    p = reader.read(fixture("blocks.txt"))
    assert [(b.text, b.level, b.ordered) for b in p.section("procedure").blocks] == [
        ("You lie on your left side.", 0, True),
        ("A thin flexible tube is passed into the bowel.", 0, True),
        ("Air is used to open the bowel.", 1, False),
        ("Small growths may be removed and sent to the laboratory.", 1, False),
        ("The tube is slowly withdrawn.", 0, True),
    ]


def test_indented_continuation_line_joins_its_item():
    p = reader.read(fixture("blocks.txt"))
    item = p.section("preparation").blocks[2]
    assert item.text == "Arrange for someone to drive you home, because the sedation affects your judgement."


def test_unindented_continuation_line_joins_its_item():
    p = reader.read(fixture("blocks.txt"))
    assert p.section("risks").blocks[1].text == "Rare: Bleeding or a tear in the bowel wall, which may need an operation."


def test_labels_like_common_and_rare_stay_in_the_item_text():
    p = reader.read(SEED)
    texts = [b.text for b in p.section("risks").blocks]
    assert texts[0].startswith("Common: Temporary pain")
    assert texts[1].startswith("Rare: Nerve damage")


def test_sections_and_blocks_keep_their_source_lines():
    p = reader.read(fixture("blocks.txt"))
    assert [(s.key, s.line, [b.line for b in s.blocks]) for s in p.sections] == [
        ("preparation", 2, [3, 5, 6, 8, 9, 11]),
        ("procedure", 12, [13, 14, 15, 16, 18]),
        ("risks", 19, [20, 21]),
    ]


def test_seed_blocks_keep_their_source_lines():
    p = reader.read(SEED)
    assert (p.section("summary").line, p.section("summary").blocks[0].line) == (7, 8)
    assert [b.line for b in p.section("procedure").blocks] == [20, 21, 22, 23, 24, 25]
    assert (p.section("experience").line, p.section("experience").blocks[0].line) == (53, 54)


def test_markup_and_stray_ampersands_are_kept_literally():
    p = reader.read(fixture("markup.txt"))
    assert blocks(p, "summary") == [
        ("paragraph", "A <b>small</b> piece of skin is removed & examined when a < b or c > d."),
        ("item", "Results take <1 week & are sent to your doctor."),
        ("item", "Values such as &amp; and <br/> stay as written."),
    ]


def test_markup_in_the_header_is_kept_literally():
    p = reader.parse("Biopsy <i>skin</i> & nail\nName of the Procedure: a & b < c\nSummary\nText.\n")
    assert (p.title.text, p.name.text) == ("Biopsy <i>skin</i> & nail", "a & b < c")


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \r\n"], ids=["empty", "whitespace"])
def test_empty_file_is_refused_naming_it(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="empty") as err:
        reader.read(path)
    assert str(path) in str(err.value)


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63")


@pytest.mark.parametrize(
    "content", [PNG, random.Random(7).randbytes(600) + b"\x00" + random.Random(8).randbytes(100)], ids=["png", "random"]
)
def test_binary_file_is_refused_naming_it(tmp_path, content):
    path = tmp_path / "scan.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="not a text file") as err:
        reader.read(path)
    assert str(path) in str(err.value)


def test_control_character_is_refused_naming_file_and_line(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(b"Title\nSummary\nText \x01 here.\n")
    with pytest.raises(SourceError) as err:
        reader.read(path)
    assert f"{path}:3" in str(err.value)


def test_text_without_a_recognisable_section_is_refused_naming_the_file():
    path = fixture("no-sections.txt")
    with pytest.raises(SourceError, match="no recognisable section") as err:
        reader.read(path)
    assert str(path) in str(err.value)


def test_folder_without_procedure_files_is_refused_naming_it(tmp_path):
    # A README, a hidden file, a draft ("_"), Word's lock file and other formats are not procedures.
    for name in ("README.md", ".notes.md", "_draft.txt", "~$knee.docx", "notes.odt", "picture.png"):
        (tmp_path / name).write_text("Summary\nText.\n")
    with pytest.raises(SourceError, match="no procedure files") as err:
        reader.find_procedures([tmp_path])
    assert str(tmp_path) in str(err.value)


def test_a_folder_holds_text_markdown_and_word_procedures_and_old_word_files_to_refuse(tmp_path):
    for name in ("a.txt", "b.md", "c.docx", "d.doc", "README.md", "_e.md", "sub/f.markdown"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("Summary\nText.\n")
    found = [p.relative_to(tmp_path).as_posix() for p in reader.find_procedures([tmp_path])]
    assert found == ["a.txt", "b.md", "c.docx", "d.doc", "sub/f.markdown"]
    with pytest.raises(SourceError, match=r"old Word document \(\.doc\); .* save it as \.docx"):
        reader.read(tmp_path / "d.doc")


def test_missing_path_is_refused_by_find_procedures(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(SourceError, match="no such file") as err:
        reader.find_procedures([missing])
    assert str(missing) in str(err.value)


def test_missing_file_is_refused_by_read(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(SourceError, match="no such file") as err:
        reader.read(missing)
    assert str(missing) in str(err.value)


def test_folder_given_to_read_is_refused(tmp_path):
    with pytest.raises(SourceError, match="folder"):
        reader.read(tmp_path)


def test_find_procedures_lists_the_procedure_files_of_a_folder_in_order(tmp_path):
    (tmp_path / "b.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.odt").write_text("x")
    assert [p.name for p in reader.find_procedures([tmp_path])] == ["a.txt", "b.txt"]


def test_read_all_reads_every_procedure_of_a_folder(tmp_path):
    for name in ("blocks.txt", "headings.txt"):
        (tmp_path / name).write_bytes(fixture(name).read_bytes())
    assert [p.domain for p in reader.read_all([tmp_path])] == ["blocks", "headings"]


def test_read_all_refuses_a_folder_holding_a_file_without_sections():
    with pytest.raises(SourceError, match="no-sections.txt"):
        reader.read_all([HERE])


# --- size -------------------------------------------------------------------------------------------

TWO_MB = 2 * 1024 * 1024


def test_two_megabyte_single_line_without_a_heading_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes((b"word " * (TWO_MB // 5 + 1))[:TWO_MB])
    with pytest.raises(SourceError, match="no recognisable section") as err:
        reader.read(path)
    assert str(path) in str(err.value)


def test_two_megabyte_single_line_with_an_inline_heading_is_parsed(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Summary: " + (b"word " * (TWO_MB // 5))[: TWO_MB - 9])
    p = reader.read(path)
    [block] = p.section("summary").blocks
    assert block.text.startswith("word word") and len(block.text) > TWO_MB - 20


# --- round trip -------------------------------------------------------------------------------------

HEADING_FOR = {
    "summary": "Summary", "purpose": "Purpose", "indications": "Indications", "preparation": "Preparation",
    "procedure": "Procedure Description", "duration": "Duration", "setting": "Setting", "personnel": "Personnel",
    "risks": "Risks and Complications", "benefits": "Benefits", "recovery": "Recovery",
    "alternatives": "Alternatives", "experience": "Patient Experience",
}
# Plain lower-case words; none of them alone is a heading, and every line ends with a full stop.
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
lines = st.lists(words, min_size=1, max_size=8).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(lines, min_size=1, max_size=3).map(lambda ls: [("paragraph", 0, ls)])
item = st.tuples(st.integers(0, 1), st.lists(lines, min_size=1, max_size=2))
# A list's first item is top level: an indented first item has nothing to be nested under.
items = st.lists(item, min_size=1, max_size=4).map(lambda its: [("item", i and level, ls) for i, (level, ls) in enumerate(its)])
content = st.lists(st.one_of(paragraph, items), min_size=1, max_size=4)
heading_style = st.sampled_from([str, str.upper, str.lower, lambda h: h + ":", lambda h: h.replace(" and ", " & ")])
sections = st.lists(
    st.tuples(st.sampled_from(list(HEADING_FOR)), heading_style, content), min_size=1, max_size=6, unique_by=lambda s: s[0]
)
marks = st.sampled_from(["- ", "* ", "\u2022 ", "\u2013 ", "1. ", "1) "])


def render(generated, mark: str) -> str:
    out = ["Generated procedure"]
    for key, style, groups in generated:
        out.append(style(HEADING_FOR[key]))
        for n, group in enumerate(groups):
            for kind, level, wrapped in group:
                if kind == "paragraph":
                    out.extend(wrapped)
                else:
                    indent = "  " * level
                    out.append(indent + mark + wrapped[0])
                    out.extend(indent + "  " + line for line in wrapped[1:])
            next_is_list = n + 1 < len(groups) and groups[n + 1][0][0] == "item"
            if not (group[0][0] == "paragraph" and next_is_list):
                out.append("")  # a list item ends a paragraph by itself; anything else needs a blank line
    return "\n".join(out) + "\n"


@settings(max_examples=200, deadline=None)
@given(sections, marks)
def test_rendered_procedures_parse_back_to_the_same_sections_and_blocks(generated, mark):
    p = reader.parse(render(generated, mark))
    expected = [
        (key, [(kind, level, " ".join(wrapped)) for group in groups for kind, level, wrapped in group])
        for key, _, groups in generated
    ]
    assert [(s.key, [(b.kind, b.level, b.text) for b in s.blocks]) for s in p.sections] == expected
    assert all(b.ordered == mark[0].isdigit() for s in p.sections for b in s.blocks if b.kind == "item")


# --- word processors' lists and headings -----------------------------------------------------------


def test_word_symbol_font_bullets_and_nested_o_items():
    # Word's plain-text export: U+F0B7 (Symbol font bullet) at the top, "o" for the level below.
    text = "Title\nPreparation\n\uf0b7\tStop some medicines:\n\to\tAspirin\n\to\tWarfarin\n\uf0b7\tFast for 6 hours.\n"
    assert [(b.text, b.level, b.ordered) for b in reader.parse(text).section("preparation").blocks] == [
        ("Stop some medicines:", 0, False),
        ("Aspirin", 1, False),
        ("Warfarin", 1, False),
        ("Fast for 6 hours.", 0, False),
    ]


def test_lettered_sub_steps_are_nested_and_ordered():
    text = "Title\nPreparation\n1. Bring your medicines.\n   a. Include vitamins.\n   b) Include herbal remedies.\n2. Arrange a ride.\n"
    assert [(b.text, b.level, b.ordered) for b in reader.parse(text).section("preparation").blocks] == [
        ("Bring your medicines.", 0, True),
        ("Include vitamins.", 1, True),
        ("Include herbal remedies.", 1, True),
        ("Arrange a ride.", 0, True),
    ]


def test_continuation_line_starting_with_the_word_o_joins_its_item():
    # Spanish "o" is "or": a wrapped line aligned with the item's text is not a nested item.
    text = "Título\nRecovery\n- Tome ibuprofeno\n  o paracetamol si le duele.\n-  Descanse un día\n   o dos.\n"
    assert blocks(reader.parse(text), "recovery") == [
        ("item", "Tome ibuprofeno o paracetamol si le duele."),
        ("item", "Descanse un día o dos."),
    ]


def test_continuation_of_a_nested_item_is_not_a_new_sub_item():
    text = "Title\nRecovery\n- Take pain relief:\n    o Paracetamol, every 6 hours\n      o ibuprofen if allowed.\n    o Ice packs.\n"
    assert [(b.text, b.level) for b in reader.parse(text).section("recovery").blocks] == [
        ("Take pain relief:", 0),
        ("Paracetamol, every 6 hours o ibuprofen if allowed.", 1),
        ("Ice packs.", 1),
    ]


@pytest.mark.parametrize("line", ["**Benefits**", "__Benefits__", "**Benefits:**", "## **Benefits**"])
def test_markdown_emphasised_heading_is_a_heading(line):
    p = reader.parse(f"Title\nSummary\nA test.\n{line}\nLess pain.\n")
    assert [(s.key, s.heading) for s in p.sections] == [("summary", "Summary"), ("benefits", "Benefits")]


def test_markdown_emphasised_heading_with_an_inline_value():
    p = reader.parse("Title\n**Duration:** 20 minutes.\n")
    assert blocks(p, "duration") == [("paragraph", "20 minutes.")]


def test_a_known_section_given_twice_is_kept_and_pointed_out():
    p = reader.parse("Title\nRecovery\nRest.\nSummary\nA test.\nRecovery\nWalk.\n", source="x.txt")
    assert [(s.key, [b.text for b in s.blocks]) for s in p.sections] == [
        ("recovery", ["Rest."]), ("summary", ["A test."]), ("recovery", ["Walk."])
    ]
    assert p.warnings == ("x.txt:6: a second 'Recovery' section; check that its text belongs there",)


# --- lists written one entry a line, without marks ----------------------------------------------------

ONE_A_LINE = """Title
Personnel
Interventional radiologist
Supporting nurses and technicians
Anesthesiologist, if deeper sedation is required
Duration: 30 to 60 minutes
Most people go home the same day.
Recovery
Rest for a day
Follow-up
See your surgeon in 2 weeks.
Risks
Some people feel sore for a few days after the
procedure. This is normal and goes away. Call your
GP if it does not.
"""


def test_short_lines_without_marks_are_list_items_not_headings():
    p = reader.parse(ONE_A_LINE)
    assert blocks(p, "personnel") == [
        ("item", "Interventional radiologist"),
        ("item", "Supporting nurses and technicians"),
        ("item", "Anesthesiologist, if deeper sedation is required"),
    ]


def test_a_short_heading_followed_by_a_sentence_still_starts_a_section():
    p = reader.parse(ONE_A_LINE)
    assert [s.heading for s in p.sections] == ["Personnel", "Duration", "Recovery", "Follow-up", "Risks"]
    assert blocks(p, "recovery") == [("paragraph", "Rest for a day")]


def test_inline_value_and_the_next_sentence_are_two_paragraphs():
    assert blocks(reader.parse(ONE_A_LINE), "duration") == [
        ("paragraph", "30 to 60 minutes"),
        ("paragraph", "Most people go home the same day."),
    ]


def test_editor_wrapped_paragraph_still_joins_with_one_space():
    assert blocks(reader.parse(ONE_A_LINE), "risks") == [
        ("paragraph", "Some people feel sore for a few days after the procedure. This is normal and goes away."
         " Call your GP if it does not.")
    ]


# --- what a person reads at a glance: wraps, questions, marked headings --------------------------------

HEADER = "Denervation, hip joint\nCPT4 code 27035\nName of the Procedure: Hip Denervation\n"


def sections_of(text):
    return [(s.key, s.heading, [(b.kind, b.level, b.text) for b in s.blocks]) for s in reader.parse(text).sections]


@pytest.mark.parametrize("hang", ["", "  "], ids=["flush", "hanging"])
def test_the_seed_wrapped_at_any_width_reads_as_the_seed(hang):
    import textwrap

    lines = SEED.read_text(encoding="utf-8").splitlines()
    expected = sections_of("\n".join(lines))
    for width in range(30, 81):
        out = lines[:6]
        for line in lines[6:]:
            indent = hang if line.startswith("- ") else ""
            out += textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [line]
        assert sections_of("\n".join(out)) == expected, f"wrapped at {width} columns"


def test_a_sentence_wrapped_before_a_number_is_one_paragraph():
    text = HEADER + "Duration\nThe procedure typically takes between\n30 to 60 minutes.\nSetting\nClinic.\n"
    assert blocks(reader.parse(text), "duration") == [("paragraph", "The procedure typically takes between 30 to 60 minutes.")]


def test_question_headings_start_sections():
    text = HEADER + "Summary\nA camera looks at the colon.\nWhat is the purpose?\nTo find polyps early.\nHow long does it take?\nAbout 30 minutes.\n"
    assert [(k, h) for k, h, _ in sections_of(text)] == [
        ("summary", "Summary"), ("purpose", "What is the purpose?"), ("duration", "How long does it take?")
    ]


def test_a_question_heading_right_after_the_header_is_not_part_of_the_name():
    p = reader.parse("Colonoscopy\nCPT4 code 45378\nName of the Procedure: Colonoscopy\nWhat is a colonoscopy?\nA camera looks at the colon.\n")
    assert p.name.text == "Colonoscopy"
    assert [(s.key, s.heading) for s in p.sections] == [("summary", "What is a colonoscopy?")]


def test_markdown_headings_of_sections_the_reader_does_not_know():
    p = reader.parse("# Knee arthroscopy\nCPT4 code 29881\n## Recovery\nRest for 2 days.\n\n## Follow-up\nSee your doctor in 2 weeks.\n**Aftercare**\nKeep it dry.\n")
    assert p.title.text == "Knee arthroscopy"
    assert [(s.key, s.heading) for s in p.sections] == [("recovery", "Recovery"), ("recovery", "Follow-up"), ("recovery", "Aftercare")]


def test_a_heading_with_a_full_stop_is_a_heading_but_a_lower_case_word_ending_a_sentence_is_not():
    p = reader.parse(HEADER + "Summary\nThe procedure is safe.\nPreparation.\n- Fast for 6 hours.\n")
    assert [(s.key, s.heading) for s in p.sections] == [("summary", "Summary"), ("preparation", "Preparation")]
    p = reader.parse(HEADER + "Summary\nThe room is ready for the\nsetting.\n")
    assert [s.key for s in p.sections] == ["summary"]


def test_a_file_that_numbers_its_headings_numbers_the_unknown_ones_too():
    text = HEADER + "1. Summary\nIt relieves pain.\n2. Preparation\nFast for 6 hours.\n3. Follow-up\nSee your doctor in 2 weeks.\n4. Duration: 30 minutes\n"
    assert [(k, h, [t for _, _, t in b]) for k, h, b in sections_of(text)] == [
        ("summary", "Summary", ["It relieves pain."]),
        ("preparation", "Preparation", ["Fast for 6 hours."]),
        ("recovery", "Follow-up", ["See your doctor in 2 weeks."]),
        ("duration", "Duration", ["30 minutes"]),
    ]


def test_a_blank_line_inside_a_list_keeps_the_nesting():
    text = HEADER + "Preparation\n- Stop blood thinners:\n\n  - warfarin 5 days before\n  - aspirin 7 days before\n"
    assert [(b.level, b.text) for b in reader.parse(text).section("preparation").blocks] == [
        (0, "Stop blood thinners:"), (1, "warfarin 5 days before"), (1, "aspirin 7 days before")
    ]


def test_a_paragraph_straight_after_a_list_is_not_glued_to_the_last_item():
    text = HEADER + "Risks\n- Infection\n- Bleeding\nCall 911 if bleeding does not stop after 10 minutes of pressure.\n"
    assert blocks(reader.parse(text), "risks") == [
        ("item", "Infection"), ("item", "Bleeding"),
        ("paragraph", "Call 911 if bleeding does not stop after 10 minutes of pressure."),
    ]


def test_a_heading_after_a_long_item_without_a_full_stop_starts_a_section():
    text = HEADER + "Recovery\n- Rest for 2 days and keep the bandage clean and dry at all times\nWhen to call your doctor\n- Fever over 38 C.\n"
    assert [(k, h) for k, h, _ in sections_of(text)] == [("recovery", "Recovery"), ("warning", "When to call your doctor")]


def test_bullets_without_a_space_after_them():
    text = HEADER + "Preparation\n\u2022Fast for 6 hours.\n\u2022Stop aspirin.\n-Bring ID.\n"
    assert blocks(reader.parse(text), "preparation") == [
        ("item", "Fast for 6 hours."), ("item", "Stop aspirin."), ("item", "Bring ID.")
    ]


def test_word_o_tab_sub_bullets_at_the_left_margin():
    text = HEADER + "Recovery\n\u00b7\tBite on gauze.\n\u00b7\tFor pain take:\no\tIbuprofen 400 mg\no\tParacetamol 500 mg\n\u00b7\tSoft foods.\n"
    assert [(b.level, b.text) for b in reader.parse(text).section("recovery").blocks] == [
        (0, "Bite on gauze."), (0, "For pain take:"), (1, "Ibuprofen 400 mg"), (1, "Paracetamol 500 mg"), (0, "Soft foods.")
    ]


def test_one_entry_a_line_list_whose_last_entry_has_a_full_stop():
    text = HEADER + "Personnel\nCardiologist\nCardiac nurse\nAnesthesia provider, who gives the sedation.\nSetting\nHospital.\n"
    assert blocks(reader.parse(text), "personnel") == [
        ("item", "Cardiologist"), ("item", "Cardiac nurse"), ("item", "Anesthesia provider, who gives the sedation.")
    ]


def test_a_lead_in_line_ending_in_a_colon_heads_no_section():
    text = HEADER + "Recovery\nRest at home for 1 week.\n\nGive pain medicine as follows:\n- Paracetamol every 6 hours\n"
    assert [s.key for s in reader.parse(text).sections] == ["recovery"]


def test_risks_slash_complications_is_the_risks_section():
    assert [s.key for s in reader.parse(HEADER + "Risks/Complications\n- Bruising.\n").sections] == ["risks"]


def test_a_dash_that_a_wrap_put_at_the_start_of_a_line_stays_in_the_sentence():
    text = HEADER + (
        "Summary\n"
        "An upper endoscopy lets the doctor look at your esophagus, stomach and duodenum\n"
        "- the first part of the small intestine - using a thin flexible camera.\n"
        "Preparation\n"
        "Do not eat or drink anything after midnight. If your procedure is at 2 p.m. you\n"
        "may have clear liquids until 8 a.m. Take your blood pressure pills with a sip of\n"
        "water by 6 a.m.\n"
    )
    assert blocks(reader.parse(text), "summary") == [
        ("paragraph", "An upper endoscopy lets the doctor look at your esophagus, stomach and duodenum - the first part"
         " of the small intestine - using a thin flexible camera.")
    ]


def test_other_names_labels_add_to_the_common_names():
    p = reader.parse("Cystoscopy\nCommon names: Bladder scope\nMedical terms: Cystourethroscopy\nAlso known as: Bladder endoscopy\nSummary\nA camera.\n")
    assert (p.common_names.text, p.medical_terms.text) == ("Bladder scope, Bladder endoscopy", "Cystourethroscopy")


def test_an_unknown_header_label_is_not_glued_to_the_field_before():
    p = reader.parse("ACDF\nMedical terms: Anterior cervical discectomy\nLaterality: N/A\nSummary\nA fusion.\n", source="x.txt")
    assert p.medical_terms.text == "Anterior cervical discectomy"
    assert p.warnings == ("x.txt:3: text before the first section is not part of any section and was left out: 'Laterality: N/A'",)


def test_a_letterhead_above_the_title_is_not_the_title():
    p = reader.parse("PATIENT INFORMATION SHEET\nInjection, anesthetic agent; greater occipital nerve\nCPT4 code 64405\nSummary\nA nerve block.\n", source="x.txt")
    assert p.title.text == "Injection, anesthetic agent; greater occipital nerve"
    assert p.warnings == ("x.txt:1: 'PATIENT INFORMATION SHEET' reads as a letterhead, not the title; left out",)


# --- any text: parsed, or refused in one line; never a crash -------------------------------------------

PIECES = [
    "Summary", "Preparation.", "## Follow-up", "**Aftercare**", "1. Summary", "3. Follow-up", "Duration: 20 minutes",
    "What is it?", "CPT4 code", "CPT4 code: 27035", "Name of the Procedure:", "Common names:", "Also known as: x",
    "Laterality: N/A", "PATIENT INFORMATION", "- item", "  - nested", "\to\tsub", "   a. letter", "\u2022tight",
    "-Bring", "o paracetamol", "The procedure typically takes between", "30 to 60 minutes.", "Cardiac nurse",
    "Give pain medicine as follows:", "- the rest of a sentence", "", "   ", "----", "===", "#", "**", "?", ":", "-",
    "o", "a.", "1.", "\u00bf", "&", "<b>", "Risks/Complications", "Setting & Personnel",
]
line_strategy = st.one_of(st.sampled_from(PIECES), st.text(max_size=40).map(lambda t: t.replace("\n", " ").replace("\r", " ")))


@settings(max_examples=300, deadline=None)
@given(st.lists(line_strategy, max_size=25))
def test_any_lines_parse_or_are_refused_cleanly(lines):
    try:
        p = reader.parse("\n".join(lines), source="x.txt")
    except SourceError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("x.txt")
        return
    for section in p.sections:
        assert section.blocks and all(b.text == b.text.strip() and b.text for b in section.blocks)


def test_a_capitalised_word_wrapped_onto_the_next_line_stays_in_its_item():
    # Wrapped at 52 columns: "Warfarin" would not have fitted on the line before, so the editor moved it.
    text = HEADER + (
        "Preparation\n"
        "- Do not eat or drink anything for six hours before\n"
        "the procedure, and bring a list of your medicines\n"
        "with you on the day.\n"
        "- Tell your doctor before the procedure if you take\n"
        "Warfarin or any other medicine that thins the blood.\n"
    )
    assert blocks(reader.parse(text), "preparation")[1] == (
        "item", "Tell your doctor before the procedure if you take Warfarin or any other medicine that thins the blood."
    )


# --- found in review -------------------------------------------------------------------------------


def test_numbered_steps_under_numbered_headings_stay_steps():
    text = "1. Summary\nSome text here.\n\n2. Procedure Description\nThe doctor does this:\n1. Lie on your back\n2. Breathe in deeply\n3. Hold very still\n"
    assert [(k, [(kind, t) for kind, _, t in b]) for k, _, b in sections_of(text)] == [
        ("summary", [("paragraph", "Some text here.")]),
        ("procedure", [("paragraph", "The doctor does this:"), ("item", "Lie on your back"), ("item", "Breathe in deeply"), ("item", "Hold very still")]),
    ]


def test_numbered_headings_with_inline_values_from_the_first():
    assert [(k, [t for _, _, t in b]) for k, _, b in sections_of("1. Summary: A test.\n2. Purpose: To help.\n")] == [
        ("summary", ["A test."]), ("purpose", ["To help."])
    ]


def test_a_few_wrapped_list_items_do_not_make_a_file_of_long_lines_wrapped():
    long = "Hip joint denervation is a minimally invasive procedure that disrupts nerve signals to relieve chronic hip pain, typically by radiofrequency ablation."
    text = f"Summary\n{long}\nFollow-up\nYou will see the surgeon in two weeks.\n\nRisks\n- Bleeding, which\n  is rare\n- Infection, which\n  is treated with antibiotics\n"
    assert [(k, h) for k, h, _ in sections_of(text)] == [("summary", "Summary"), ("recovery", "Follow-up"), ("risks", "Risks")]


def test_list_entries_that_start_like_usual_headings_stay_entries():
    text = "Title\nSummary\nA test.\nPersonnel\nSurgeon\nAnaesthetist\nTheatre nurse\nDietitian\nRadiographer\n"
    assert [t for _, _, t in sections_of(text)[1][2]] == ["Surgeon", "Anaesthetist", "Theatre nurse", "Dietitian", "Radiographer"]


def test_closed_markdown_headings_and_subheadings():
    text = "## Summary ##\nA test.\n# Recovery\n\n## At home\nRest for a week.\n"
    assert [(k, [t for _, _, t in b]) for k, _, b in sections_of(text)] == [
        ("summary", ["A test."]), ("recovery", ["At home", "Rest for a week."])
    ]


def test_a_numbered_known_heading_right_after_numbered_steps_is_a_heading():
    text = HEADER + "1. Summary\nA biopsy.\n2. Procedure Description\n1. You lie down.\n2. A bandage is applied.\n3. Duration: 20 minutes\n4. Follow-up\nResults in 5-7 days.\n"
    assert [(k, h) for k, h, _ in sections_of(text)] == [
        ("summary", "Summary"), ("procedure", "Procedure Description"), ("duration", "Duration"), ("recovery", "Follow-up")
    ]


# --- second review: ordinary clinic text ---------------------------------------------------------------


def test_a_heading_after_a_line_that_reaches_the_wrap_margin():
    text = HEADER + (
        "Recovery\n"
        "The physiotherapists will help you stand and walk, usually on the day\n"
        "of surgery. You will go home with crutches or a frame, and you should\n"
        "continue the exercises at home for several weeks after the operation.\n"
        "Driving\n"
        "You can usually drive again after 6 weeks, when you can control the car\n"
        "safely and make an emergency stop.\n"
    )
    assert [(k, h) for k, h, _ in sections_of(text)] == [("recovery", "Recovery"), ("other", "Driving")]


def test_usual_headings_may_end_in_a_small_word():
    text = HEADER + "Preparation\nPlease read this leaflet carefully.\nWhat to look out for\nIf the wound becomes red, call the ward.\n"
    assert [(k, h) for k, h, _ in sections_of(text)] == [("preparation", "Preparation"), ("other", "What to look out for")]


def test_a_spanish_question_heading():
    text = HEADER + "Recovery\nDescanse un día.\n¿Cuándo debe consultar?\nSi tiene fiebre, llame a la clínica.\n"
    assert [(k, h) for k, h, _ in sections_of(text)] == [("recovery", "Recovery"), ("warning", "¿Cuándo debe consultar?")]


@pytest.mark.parametrize(
    "body, entries",
    [
        ("The team will include:\nSurgeon\nAnaesthetist\nScrub nurse\n", ["The team will include:", "Surgeon", "Anaesthetist", "Scrub nurse"]),
        ("Bleeding (rare)\nInfection\nNerve damage\n", ["Bleeding (rare)", "Infection", "Nerve damage"]),
        (
            "Sciatica from a disc bulge that has lasted more than six weeks\nLeg pain that has not improved with painkillers and physiotherapy\n",
            ["Sciatica from a disc bulge that has lasted more than six weeks", "Leg pain that has not improved with painkillers and physiotherapy"],
        ),
        (
            "Fasting: 6 hours for solids, 2 hours for clear liquids\nDriver: required, you cannot drive for 24 hours afterwards\nArrival: 7:30 am\n",
            ["Fasting: 6 hours for solids, 2 hours for clear liquids", "Driver: required, you cannot drive for 24 hours afterwards", "Arrival: 7:30 am"],
        ),
    ],
    ids=["after a lead-in", "entry with brackets", "long entries", "label lines"],
)
def test_lists_written_one_entry_a_line_in_a_file_of_unwrapped_lines(body, entries):
    [(key, _, got)] = sections_of(HEADER + "Preparation\n" + body)
    assert [t for _, _, t in got] == entries


def test_a_sentence_without_its_full_stop_is_no_heading():
    text = HEADER + "Recovery\nYou can go back to school after 1 or 2 days.\nSwimming is fine after 2 weeks\nAvoid dirty water such as lakes.\n"
    assert [k for k, _, _ in sections_of(text)] == ["recovery"]


def test_a_phrase_then_a_sentence_are_two_paragraphs_not_a_list():
    assert blocks(reader.parse(HEADER + "Setting\nOutpatient clinic\nMost patients go home within an hour.\n"), "setting") == [
        ("paragraph", "Outpatient clinic"), ("paragraph", "Most patients go home within an hour.")
    ]


def test_a_paragraph_after_a_long_item_in_a_file_of_unwrapped_lines():
    text = HEADER + "Indications\n- Gallstone pancreatitis or jaundice caused by stones\nYour surgeon will discuss whether surgery is right for you.\n"
    assert blocks(reader.parse(text), "indications") == [
        ("item", "Gallstone pancreatitis or jaundice caused by stones"),
        ("paragraph", "Your surgeon will discuss whether surgery is right for you."),
    ]


def test_a_word_hyphenated_at_the_end_of_a_line_is_joined_without_a_space():
    text = HEADER + "Summary\nThe surgeon removes the gall-\nbladder and checks the area. Fast for 6-\n8 hours.\n"
    assert blocks(reader.parse(text), "summary") == [("paragraph", "The surgeon removes the gall-bladder and checks the area. Fast for 6-8 hours.")]


def test_an_email_signature_is_left_out():
    p = reader.parse(HEADER + "Summary\nText here.\n\n--\nKind regards,\nJane Morris\n", source="x.txt")
    assert blocks(p, "summary") == [("paragraph", "Text here.")]
    assert p.warnings == ("x.txt:7: the text after the e-mail signature mark '--' was left out",)


def test_header_labels_in_bold():
    p = reader.parse("Bronchoscopy\n**CPT4 code:** 31622\n**Name of the Procedure:** Bronchoscopy\nSummary\nA camera.\n")
    assert (p.title.text, p.code, p.name.text) == ("Bronchoscopy", "31622", "Bronchoscopy")


# --- third review: files in the reference format --------------------------------------------------------


def test_label_lines_with_full_stops_are_entries():
    text = HEADER + "Risks\nCommon: Bruising for a few days.\nRare: Infection, which needs antibiotics.\n"
    assert blocks(reader.parse(text), "risks") == [
        ("item", "Common: Bruising for a few days."), ("item", "Rare: Infection, which needs antibiotics.")
    ]


def test_an_unmarked_line_after_items_in_a_file_of_unwrapped_lines_is_a_paragraph():
    text = HEADER + "Alternatives\n- Physical therapy\n- Medications such as NSAIDs\nWatchful waiting\n"
    assert blocks(reader.parse(text), "alternatives") == [
        ("item", "Physical therapy"), ("item", "Medications such as NSAIDs"), ("paragraph", "Watchful waiting")
    ]


def test_a_paragraph_after_a_full_item_in_a_file_with_hanging_indents():
    import textwrap

    lines = [
        "- Rest at home for the remainder of the day, and keep the dressing dry and clean for two days.",
        "- Paracetamol can be taken for pain. Avoid ibuprofen for 24 hours.",
    ]
    wrapped = [w for line in lines for w in textwrap.wrap(line, 72, subsequent_indent="  ")]
    text = HEADER + "Recovery\n" + "\n".join(wrapped) + "\nResults are usually ready in 7-10 days.\n"
    assert blocks(reader.parse(text), "recovery")[-1] == ("paragraph", "Results are usually ready in 7-10 days.")


def test_a_pdf_page_footer_is_left_out_and_the_paragraph_joins_again():
    text = HEADER + "Summary\nThe doctor looks at the heart\nCardiology Patient Information Leaflet   Page 1 of 2\nwith a thin tube.\n"
    p = reader.parse(text, source="x.txt")
    assert blocks(p, "summary") == [("paragraph", "The doctor looks at the heart with a thin tube.")]
    assert p.warnings == ("x.txt:6: a page header or footer was left out: 'Cardiology Patient Information Leaflet Page 1 of 2'",)
