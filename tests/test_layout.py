"""Line breaking, bidi ordering and font choice (leaflet.render.layout and .fonts), on the real fonts.

Every test is named after what a patient or reader would lose if it failed. Tests marked xfail(strict=True)
document known bugs: they fail today, and they turn the suite red once the bug is fixed so the mark is removed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pytest
from bidi import get_display
from hypothesis import HealthCheck, given, settings, strategies as st

from leaflet.errors import RenderError
from leaflet.render.fonts import FontSet
from leaflet.render.layout import clean, Line, Shaper, tokens

SIZE = 18  # the body size (STANDARDS.md, large print)
PAGE = 453.5  # A4 less two 25 mm margins, in points
WIDTHS = (90, 150, 250, PAGE)

PARAGRAPHS = {
    "en": "Do not eat or drink for 6 hours before the procedure. Take 5 mg of the medicine at 7:30 in the "
    "morning with a small sip of water. If you have questions, call 555 0100 between 9 and 17.",
    "ar": "لا تأكل ولا تشرب لمدة 6 ساعات قبل الإجراء. خذ 5 mg من الدواء (Paracetamol) في الساعة 7:30 "
    "صباحاً مع رشفة ماء صغيرة. إذا كانت لديك أسئلة، اتصل بالرقم 555 0100 بين 9 و 17.",
    "hi": "प्रक्रिया से 6 घंटे पहले कुछ भी न खाएं और न पिएं। सुबह 7:30 बजे थोड़े से पानी के साथ दवा की "
    "5 mg खुराक लें। यदि आपके कोई प्रश्न हैं, तो 555 0100 पर कॉल करें।",
    "zh_Hans": "手术前6小时内不要吃东西或喝水。手术当天早上7:30，请用一小口水服用5 mg药物（对乙酰氨基酚）。"
    "如果您有任何问题，请拨打555 0100。您的预约时间是2026年11月24日，检查需要30到60分钟。",
    "ko": "시술 6시간 전부터는 아무것도 먹거나 마시지 마십시오. 아침 7:30에 약 5 mg을 물 한 모금과 함께 "
    "드십시오. 질문이 있으시면 555 0100으로 전화하십시오.",
    "vi": "Không ăn hoặc uống trong 6 giờ trước khi làm thủ thuật. Uống 5 mg thuốc lúc 7:30 sáng với một "
    "ngụm nước nhỏ. Nếu quý vị có câu hỏi, hãy gọi 555 0100.",
}


@lru_cache(maxsize=None)
def shaper(locale: str, bold: bool = False) -> Shaper:
    return Shaper(FontSet(locale), SIZE, bold)


def layout(locale: str, text: str, width: float = PAGE, **kw) -> list[Line]:
    return shaper(locale).lines(text, width, **kw)


def spans(text: str, lines: list[Line]) -> list[tuple[int, int]]:
    """Where each line's logical text sits in the input; fails unless the lines are the input, in order, with
    only white space between them (nothing lost, nothing duplicated, nothing reordered). The input is compared
    as leaflet sets it (`clean`: composed, runs of white space as one space, no soft hyphen)."""
    text = clean(text)
    out, pos = [], 0
    for line in lines:
        assert line.text, f"an empty line in {[l.text for l in lines]!r}"
        start = pos
        while not text.startswith(line.text, start):
            assert start < len(text) and text[start].isspace(), (
                f"line {line.text!r} is not the input at {pos}: {text[pos:pos + 40]!r}"
            )
            start += 1
        out.append((start, start + len(line.text)))
        pos = start + len(line.text)
    assert text[pos:].strip() == "", f"lost at the end: {text[pos:]!r}"
    return out


def breaks(text: str, lines: list[Line]) -> list[int]:
    """The input offsets at which a new line starts (after the first)."""
    return [start for start, _ in spans(text, lines)[1:]]


def assert_fits(lines: list[Line], width: float) -> None:
    for line in lines:
        assert line.width <= width + 0.01, f"{line.width:.1f} > {width}: {line.text!r}"


def assert_faces_cover(lines: list[Line]) -> None:
    for line in lines:
        for run in line.runs:
            for ch in run.text:
                if ch.isspace() or unicodedata.category(ch) == "Cf":
                    continue
                assert run.face.covers(ch), f"{run.face.family} has no {ch!r} (U+{ord(ch):04X}) in {run.text!r}"


def visual(line: Line) -> str:
    """The line's characters left to right as drawn (before mirroring), from the runs' order and direction."""
    return "".join(run.text[::-1] if run.rtl else run.text for run in line.runs)


def assert_unbroken(text: str, locale: str, kept: str, widths) -> None:
    """`kept` is never split over two lines at any width at which the pieces holding it fit on a line (a piece
    wider than the line is cut by characters: that fallback is tested on its own)."""
    start = text.index(kept)
    end = start + len(kept)
    need, pos = 0.0, len(text) - len(text.lstrip())
    for piece in tokens(text):
        if pos < end and pos + len(piece) > start:
            need = max(need, shaper(locale).width(piece.rstrip()))
        pos += len(piece)
    for width in widths:
        if width < need:
            continue
        lines = layout(locale, text, width)
        inside = [b for b in breaks(text, lines) if start < b < end]
        assert not inside, f"width {width}: {kept!r} split as {[l.text for l in lines]!r}"


# --- nothing lost, nothing cut off ----------------------------------------------------------------


@pytest.mark.parametrize("locale", sorted(PARAGRAPHS))
@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_runs_past_the_margin_so_no_word_is_cut_off(locale, width):
    assert_fits(layout(locale, PARAGRAPHS[locale], width), width)


@pytest.mark.parametrize("locale", sorted(PARAGRAPHS))
@pytest.mark.parametrize("width", WIDTHS)
def test_every_word_of_the_paragraph_is_printed_once_and_in_order(locale, width):
    text = PARAGRAPHS[locale]
    lines = layout(locale, text, width)
    spans(text, lines)
    if width == PAGE:
        assert len(lines) >= 2


def test_empty_or_blank_text_prints_no_lines_and_does_not_fail():
    for locale in ("en", "ar", "zh_Hans"):
        assert layout(locale, "") == []
        assert layout(locale, "   ") == []


def test_spaces_and_a_tab_at_the_end_do_not_widen_the_line_or_push_it_off_the_right_margin():
    text = "Take one tablet.  \t "
    (line,) = layout("en", text, 200)
    assert line.text == "Take one tablet."
    assert line.width == pytest.approx(shaper("en").width("Take one tablet."))


def test_a_web_address_wider_than_the_line_is_split_by_characters_with_nothing_lost():
    url = "https://www.example-hospital.org/patients/leaflets/hip-joint-denervation/aftercare.html"
    text = f"Read more at {url} today."
    lines = layout("en", text, 200)
    assert_fits(lines, 200)
    where = spans(text, lines)
    start = text.index(url)
    parts = [text[a:b] for a, b in where if start <= a < start + len(url)]
    assert len(parts) >= 3 and "".join(parts) == url


def test_a_very_long_number_is_split_by_characters_with_no_digit_lost():
    text = "Reference " + "0123456789" * 8
    lines = layout("en", text, 150)
    assert_fits(lines, 150)
    assert "".join(l.text for l in lines).replace(" ", "") == text.replace(" ", "")


def test_a_chinese_paragraph_with_no_spaces_fills_its_lines_and_loses_nothing():
    text = "术后请保持伤口清洁干燥不要用力揉搓如果出现发热红肿或者疼痛加重请立即联系您的医生或者前往急诊科就诊"
    for width in (60, 100, 200, PAGE):
        lines = layout("zh_Hans", text, width)
        spans(text, lines)
        assert_fits(lines, width)
        # no space to break at, yet every line but the last is full to within one character
        for line in lines[:-1]:
            assert line.width > width - 2 * SIZE


# --- hypothesis: mixed scripts, digits, punctuation and spaces -------------------------------------

WORDS = {
    "en": ["take", "the", "tablet", "water", "doctor", "hip", "procedure", "CT", "Nguyễn"],
    "ar": ["خذ", "الدواء", "ماء", "الطبيب", "قبل", "الإجراء", "ساعات"],
    "hi": ["दवा", "पानी", "डॉक्टर", "प्रक्रिया", "घंटे", "क्षेत्र", "लें"],
    "zh_Hans": ["手术", "药物", "医生", "喝水", "分钟", "检查", "年", "月", "日"],
    "ko": ["시술", "약", "물", "의사", "시간", "전화", "하십시오"],
    "vi": ["thuốc", "nước", "bác sĩ", "thủ thuật", "giờ", "uống", "Nguyễn"],
}
PUNCTUATION = [",", ".", "(", ")", "-", ":", "%", "/", "?"]
OWN_PUNCTUATION = {"ar": ["؟", "،", "«", "»"], "hi": ["।"], "zh_Hans": ["，", "。", "（", "）", "、", "：", "「", "」"]}
SEPARATORS = ["", " ", " ", " ", "  ", "\u00a0"]


@st.composite
def paragraphs(draw):
    locale = draw(st.sampled_from(sorted(WORDS)))
    word = st.one_of(
        st.sampled_from(WORDS[locale]),
        st.sampled_from(WORDS["en"] + WORDS["vi"]),  # Latin words inside any script (each leaflet has a Latin font)
        st.integers(0, 10**9).map(str),
        st.sampled_from(PUNCTUATION + OWN_PUNCTUATION.get(locale, [])),
    )
    parts = draw(st.lists(st.tuples(word, st.sampled_from(SEPARATORS)), min_size=1, max_size=30))
    return locale, "".join(w + s for w, s in parts)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs(), st.sampled_from([60, 110, 200, PAGE]))
def test_any_mix_of_scripts_digits_and_punctuation_keeps_every_character_within_the_margin(case, width):
    locale, text = case
    lines = layout(locale, text, width)
    spans(text, lines)
    assert_fits(lines, width)
    assert_faces_cover(lines)


# --- numbers, doses, dates and phone numbers stay whole --------------------------------------------

KEPT = [
    ("en", "Take 6-8 tablets every day with water and food.", "6-8"),
    ("en", "Take 5 mg of the medicine each morning.", "5 mg"),
    ("en", "Give 2.5 mL of the syrup to the child.", "2.5 mL"),
    ("en", "Call the ward on 555 0100 if you are worried.", "555 0100"),
    ("en", "If your temperature is over 38 °C, call us.", "38 °C"),
    ("en", "Your appointment is on 24\u00a0November\u00a02026 at the clinic.", "24\u00a0November\u00a02026"),
    ("en", "Go to page 3 of this leaflet for the map.", "page 3"),
    ("vi", "Uống 5 mg thuốc lúc 7:30 sáng với một ngụm nước nhỏ.", "5 mg"),
    ("ko", "질문이 있으시면 555 0100으로 전화하십시오.", "555 0100으로"),
    ("zh_Hans", "您的预约时间是2026年11月24日上午九点，请提前到达。", "2026年11月24日"),
    ("zh_Hans", "请拨打555 0100联系护士站。", "555 0100"),
    ("ar", "اتصل بالرقم 555 0100 إذا كانت لديك أسئلة.", "555 0100"),
]


@pytest.mark.parametrize("locale,text,kept", KEPT, ids=[k for _, _, k in KEPT])
def test_a_dose_date_or_phone_number_is_never_split_over_two_lines(locale, text, kept):
    widths = range(40, int(shaper(locale).width(text)) + 10, 3)
    assert_unbroken(text, locale, kept, widths)


GAPS = [
    ("en", "Rest for 30 to 60 minutes after the injection.", "30 to 60", "a range in words ('to') may break"),
    ("en", "Rest for 6 – 8 hours after the injection.", "6 – 8", None),
    ("en", "About 50 % of patients feel better.", "50 %", None),
    ("en", "The dose is 5 mg/kg of body weight.", "5 mg/kg", None),
    ("en", "Take one tablet every 6 hours.", "6 hours", "a unit spelt out (hours, minutes, tablets) is not a unit"),
    ("ru", "Примите 5 мг лекарства утром.", "5 мг", None),
    ("ar", "خذ 5 ملغ من الدواء كل صباح.", "5 ملغ", None),
    ("zh_Hans", "这项检查大约需要30到60分钟，请您耐心等待。", "30到60分钟",
     "tokens() glues only the one ideograph beside a digit: '60分|钟' (minutes) may break"),
]


@pytest.mark.parametrize(
    "locale,text,kept",
    [pytest.param(l, t, k, marks=[pytest.mark.xfail(reason=r, strict=True)] if r else [], id=k) for l, t, k, r in GAPS],
)
def test_a_dose_range_or_percentage_in_words_is_never_split_over_two_lines(locale, text, kept):
    widths = range(40, int(shaper(locale).width(text)) + 10, 3)
    assert_unbroken(text, locale, kept, widths)


def test_a_number_is_never_moved_to_the_next_line_away_from_the_word_before_it():
    # "no break before a number": "page | 3" and "call | 555" never part
    for piece in tokens("Turn to page 3 and call 555 0100 or 555 0199."):
        assert not re.match(r"\d", piece), piece


CUT_INSIDE = [  # text, and what must stay whole in it
    ("en", "Come back on days 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27 and 29.", r"\d+"),
    ("en", "Your appointment is on 24\u00a0November\u00a02026 at the clinic.", "24\u00a0November\u00a02026"),
    # a Chinese date may break after 年 or 月 (kinsoku keeps "日，" together), never inside its numbers
    ("zh_Hans", "您的预约时间是2026年11月24日，请提前到达。", r"\d+[年月日]"),
]


@pytest.mark.parametrize("locale,text,atom", CUT_INSIDE, ids=["list-of-days", "english-date", "chinese-date"])
def test_a_date_or_list_of_numbers_is_not_cut_inside_a_number_on_a_narrow_line(locale, text, atom):
    whole = [m.span() for m in re.finditer(atom, text)]
    need = max(shaper(locale).width(text[a:b]) for a, b in whole)
    for width in range(max(int(need) + 1, 100), 460, 2):
        lines = layout(locale, text, width)
        cut = [x for x in breaks(text, lines) for a, b in whole if a < x < b]
        assert not cut, f"width {width}: {[l.text for l in lines]!r}"


# --- Chinese line breaking (kinsoku) ------------------------------------------------------------------

CLOSING = set("，。、；：！？）」』】〉》")
OPENING = set("（「『【〈《")


KINSOKU_TEXT = PARAGRAPHS["zh_Hans"] + "医生说：「请您（在家里）休息」。"


def assert_kinsoku(lines: list[Line]) -> None:
    for line in lines:
        assert line.text[0] not in CLOSING, [l.text for l in lines]
        assert line.text[-1] not in OPENING, [l.text for l in lines]


def test_a_chinese_line_never_starts_with_a_comma_full_stop_or_closing_bracket():
    for width in range(180, 460, 3):  # from the widest unbreakable piece ("是2026年11月24日，") up
        lines = layout("zh_Hans", KINSOKU_TEXT, width)
        spans(KINSOKU_TEXT, lines)
        assert_kinsoku(lines)


@pytest.mark.parametrize("width", [99, 162])
def test_a_narrow_chinese_line_never_starts_with_a_comma_even_beside_a_long_date(width):
    assert_kinsoku(layout("zh_Hans", KINSOKU_TEXT, width))


def test_chinese_breaks_between_ideographs_but_not_inside_latin_words_or_numbers():
    assert tokens("请做CT检查") == ["请", "做", "CT", "检", "查"]
    assert tokens("预约2026年11月24日起") == ["预", "约2026年11月24日", "起"]  # never beside a digit
    assert tokens("一（二）三。") == ["一", "（二）", "三。"]


# --- Arabic: right to left with left-to-right words and numbers inside ----------------------------

MIXED = [
    "خذ 125 ملغ من CT مرة",
    "مرحبا (CT) مرحبا",
    "اتصل على 555 0100 أو (020) 7946-0958.",
    "خذ 2-3 أقراص (5 mg) كل 6 ساعات.",
    "الموعد 24/11/2026 الساعة 9:30",
]


@pytest.mark.parametrize("text", MIXED)
def test_arabic_reads_right_to_left_while_latin_words_and_numbers_read_left_to_right(text):
    (line,) = layout("ar", text)
    assert visual(line) == get_display(text, base_dir="R")


def test_arabic_run_order_and_directions_for_a_dose_line():
    (line,) = layout("ar", "خذ 125 ملغ من CT مرة")
    runs = [(r.text.strip(), r.rtl) for r in line.runs if r.text.strip()]
    # left to right on the page: the last Arabic word first, the first Arabic word last
    assert runs == [("مرة", True), ("CT", False), ("ملغ من", True), ("125", False), ("خذ", True)]
    for run in line.runs:
        if not run.rtl:
            assert str(run.glyphs) == run.text  # "125" is drawn 1-2-5, "CT" as C-T


def test_brackets_in_arabic_are_mirrored_so_they_still_enclose_their_words():
    for text in ("مرحبا (CT) مرحبا", "خذ الدواء [مرة واحدة] {يوميا}"):
        (line,) = layout("ar", text)
        for run in line.runs:
            if run.rtl:
                drawn = str(run.glyphs)
                for a, b in ("()", "[]", "{}"):
                    assert drawn.count(b) == run.text.count(a) and drawn.count(a) == run.text.count(b), run


@pytest.mark.parametrize("width", WIDTHS)
def test_an_arabic_paragraph_keeps_its_numbers_and_latin_words_readable_on_every_line(width):
    for line in layout("ar", PARAGRAPHS["ar"], width):
        assert visual(line) == get_display(line.text, base_dir="R")
        for run in line.runs:
            if not run.rtl:
                assert not re.search("[\u0600-\u06ff]", run.text), run.text
                assert str(run.glyphs) == run.text, run.text  # "7:30", "Paracetamol" as written


@pytest.mark.parametrize("text", ["اسم الدواء: Paracetamol (Panadol)", "دواء Panadol (500 mg)."])
def test_a_bracketed_brand_name_at_the_end_of_an_arabic_sentence_keeps_its_brackets_around_it(text):
    (line,) = layout("ar", text)
    assert visual(line) == get_display(text, base_dir="R")


@pytest.mark.parametrize("locale,text", [
    ("fa", "قرص 500 mg را با CT می\u200cخورید"),  # Persian writes ZWNJ inside words all the time
    ("ar", "خذ 125 ملغ\u00ad من CT مرة"),
])
def test_a_zero_width_non_joiner_in_right_to_left_text_does_not_reverse_numbers(locale, text):
    (line,) = layout(locale, text)
    assert visual(line) == get_display(clean(text), base_dir="R")
    for run in line.runs:
        if run.text.strip() in ("CT", "500", "125", "mg"):
            assert not run.rtl and str(run.glyphs) == run.text, run


@pytest.mark.parametrize("locale,text,number", [("ar", "خذ ١٢٥ ملغ", "١٢٥"), ("fa", "۱۲۵ قرص بخورید", "۱۲۵")])
def test_arabic_indic_digits_are_drawn_in_reading_order(locale, text, number):
    (line,) = layout(locale, text)
    (run,) = [r for r in line.runs if r.text.strip() == number]
    assert str(run.glyphs).strip() == number  # "125", not "521"


def test_leading_spaces_do_not_scramble_a_right_to_left_line():
    text = "خذ 125 ملغ من CT مرة"
    (plain,) = layout("ar", text)
    (padded,) = layout("ar", "  " + text)
    assert [(r.text, r.rtl) for r in padded.runs] == [(r.text, r.rtl) for r in plain.runs]


def test_bidi_isolate_characters_from_a_translation_tool_do_not_stop_the_build():
    text = "رقم الملف \u2066CT-2026\u2069 جاهز"
    (line,) = layout("ar", text)
    assert "CT-2026" in visual(line)


# --- grapheme clusters, invisible characters -------------------------------------------------------



def test_a_long_hindi_word_split_over_lines_never_starts_a_line_with_a_vowel_sign():
    text = "कृपयाअपनीदवाईसमयपरलेंऔरडॉक्टरसेमिलें"
    for width in range(60, 200, 4):
        lines = layout("hi", text, width)
        spans(text, lines)
        for line in lines:
            assert not unicodedata.category(line.text[0]).startswith("M"), (width, [l.text for l in lines])


@pytest.mark.xfail(strict=True, reason="Thai has no spaces between words and tokens() knows no Thai word breaks: "
                   "Thai is cut wherever a line is full, in the middle of words")
def test_thai_breaks_only_between_words():
    text = "ผู้ป่วยควรงดน้ำและอาหาร ก่อนการผ่าตัดอย่างน้อยหกชั่วโมง"
    words = ["ผู้ป่วย", "ควร", "งด", "น้ำ", "และ", "อาหาร", "ก่อน", "การ", "ผ่าตัด", "อย่าง", "น้อย", "หก", "ชั่วโมง"]
    bounds = {0}
    for w in words:
        bounds.add(text.index(w, max(bounds)) + len(w))
    for width in (90, 150):
        assert set(breaks(text, layout("th", text, width))) <= bounds | {text.index("ก่อน")}


def test_zero_width_joiner_and_non_joiner_keep_hindi_text_whole_and_within_the_margin():
    text = "क्\u200dष क्\u200cष " + PARAGRAPHS["hi"]
    for width in (90, PAGE):
        lines = layout("hi", text, width)
        spans(text, lines)
        assert_fits(lines, width)


def test_a_smiley_missing_from_the_main_font_is_drawn_from_the_fallback_font():
    (line,) = layout("en", "Feel better soon ☺")
    assert_faces_cover([line])
    assert line.runs[-1].face.family == "DejaVu Sans"


def test_a_soft_hyphen_pasted_from_a_word_processor_prints_nothing_mid_line():
    assert shaper("en").width("infor\u00admation") == pytest.approx(shaper("en").width("information"))


@pytest.mark.parametrize("space", ["\t", "\n"], ids=["tab", "newline"])
def test_a_tab_or_newline_between_words_prints_as_a_space_not_a_missing_glyph_box(space):
    (line,) = layout("en", f"Take{space}one tablet")
    for run in line.runs:
        assert all(run.face.covers(ch) for ch in run.text), run


# --- fonts: every character drawn from a face that has it -----------------------------------------

@pytest.mark.parametrize("locale", sorted(PARAGRAPHS))
def test_every_character_is_drawn_from_a_font_that_has_it_so_none_prints_as_a_box(locale):
    for width in (150, PAGE):
        assert_faces_cover(layout(locale, PARAGRAPHS[locale], width))


def test_latin_digits_and_words_inside_chinese_come_from_a_font_that_has_them():
    lines = layout("zh_Hans", "请于2026年11月24日7:30做CT检查，服用5 mg药物。")
    assert_faces_cover(lines)
    digits = [r for l in lines for r in l.runs if any(c.isdigit() for c in r.text)]
    assert digits and all(r.face.covers("5") for r in digits)


@pytest.mark.parametrize("locale", ["zh_Hans", "ko"])
def test_a_decomposed_accent_in_a_name_is_drawn_from_a_font_that_has_it(locale):
    assert_faces_cover(layout(locale, "医生 Jose\u0301 Nguye\u0302\u0303n 시술"))


def test_a_character_no_font_has_stops_the_build_and_names_the_character():
    with pytest.raises(RenderError) as error:
        layout("en", "Thumbs up 👍 after the procedure")
    assert "👍" in str(error.value) and "U+1F44D" in str(error.value)


def test_without_system_fonts_latin_is_set_in_the_embedded_font_and_arabic_is_refused(monkeypatch):
    monkeypatch.setenv("LEAFLET_SYSTEM_FONTS", "0")
    fonts = FontSet("en")
    assert fonts.main.regular.family == "DejaVu Sans"
    lines = Shaper(fonts, SIZE).lines(PARAGRAPHS["en"], 200)
    spans(PARAGRAPHS["en"], lines)
    assert_fits(lines, 200)
    with pytest.raises(RenderError, match="fonts-noto-core"):
        FontSet("ar")


def test_a_paragraph_set_again_is_set_as_a_fresh_shaper_sets_it_and_another_width_or_direction_is_set_anew():
    """A shaper remembers the lines it set (a leaflet is laid out twice); what it remembers is what a fresh
    shaper sets, a caller's list is its own, and another width or direction is never answered from memory."""
    text = PARAGRAPHS["ar"]
    reused = Shaper(FontSet("ar"), SIZE)
    first = reused.lines(text, 250)
    first.pop()
    again = reused.lines(text, 250)
    assert again == Shaper(FontSet("ar"), SIZE).lines(text, 250) and len(again) == len(first) + 1
    assert reused.lines(text, 150) == Shaper(FontSet("ar"), SIZE).lines(text, 150) != again
    assert reused.lines(text, 250, rtl=False) == Shaper(FontSet("ar"), SIZE).lines(text, 250, rtl=False) != again
    assert reused.width("5 mg") == Shaper(FontSet("ar"), SIZE).width("5 mg") < Shaper(FontSet("ar"), 24).width("5 mg")


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_a_face_is_chosen_for_exactly_the_characters_its_font_maps(locale):
    """Faces read their character map with glyphs numbered, not named (NanumGothic names none of its own):
    the characters are those fontTools reads with the names."""
    from fontTools.ttLib import TTFont as ToolsFont

    for face in (FontSet(locale).main.regular, FontSet(locale).main.bold):
        assert face.cmap == frozenset(ToolsFont(str(face.path), fontNumber=face.index).getBestCmap())


@pytest.mark.parametrize("locale", ["en", "ar", "hi", "ru", "vi", "zh_Hans"])
def test_text_the_main_face_draws_whole_is_one_run_as_the_character_walk_makes_it(locale):
    fonts = FontSet(locale)
    samples = ["Hip", "  leading spaces", "mixed Latin and \u0928\u092e\u0938\u094d\u0924\u0947", "\u200fRTL mark",
               "\u0645\u0631\u062d\u0628\u0627 \u0628\u0643", "\u4f60\u597d\uff0c\u4e16\u754c", "e\u0301 caf\u00e9",
               "soft\u00adhyphen", "\u200d", "Ti\u1ebfng Vi\u1ec7t", "\u041f\u0440\u0438\u0432\u0435\u0442"]
    for text in samples:
        for bold in (False, True):
            try:
                walked = fonts._walk(text, bold, None)
            except RenderError:  # no font here draws it: runs refuses it too
                with pytest.raises(RenderError):
                    fonts.runs(text, bold)
                continue
            assert fonts.runs(text, bold) == walked, (text, bold)


@pytest.mark.parametrize("locale", ["en", "ar", "hi", "vi", "zh_Hans"])
def test_a_part_at_one_left_to_right_level_joins_whole_as_its_characters_would(locale):
    from leaflet.render import layout

    fonts = FontSet(locale)
    samples = ["Hip joint denervation (CPT 64640)", "\u0645\u0631\u062d\u0628\u0627 (5 mg) \u0628\u0643 [x]",
               "mixed Latin and \u0928\u092e\u0938\u094d\u0924\u0947 12:30", "\u2067\u0645\u0631\u062d\u0628\u0627\u2069 and",
               "\u200fRTL mark (a)", "\u4f60\u597d\uff0c\u4e16\u754c 30 \u5206\u949f", "Ti\u1ebfng Vi\u1ec7t", "a\u202bb\u202cc"]
    for text in samples:
        for rtl in (False, True):
            try:
                parts = fonts.runs(text, False, None)
            except RenderError:  # no font here draws it
                continue
            levels = layout._levels(text, rtl)
            assert layout._levelled(parts, levels, rtl) == layout._levelled(parts, levels, rtl, whole=False), (text, rtl)
