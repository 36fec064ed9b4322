"""Mutants of the text guards: the checks of numbers, placeholders, markup and invisible characters in a
translation, and the negation and opposite guard (translation memory, pronunciation lists). See run.py."""

GUARDS = {
    "numbers": ("leaflet.checks.x_numbers", "leaflet.checks.x_check_numbers", "leaflet.checks.x_number_shape",
                "leaflet.checks.x__is_number", "leaflet.checks.x__symbols_and_numbers"),
    "placeholders": ("leaflet.checks.x_check_placeholders", "leaflet.localize.xǁWordsǁgettext",
                     "leaflet.localize.xǁWordsǁngettext"),
    "markup": ("leaflet.checks.x_check_markup", "leaflet.checks.x__markup_key"),
    "invisible": ("leaflet.checks.x_check_invisible", "leaflet.checks.x__invisible", "leaflet.checks.x_check_marks",
                  "leaflet.checks.x_check_nothing_visible", "leaflet.legible.x_most_marks",
                  "leaflet.legible.x_too_many_marks", "leaflet.legible.x_visible", "leaflet.legible.x_unprintable"),
    "negation": ("leaflet.memory.x_negation_words", "leaflet.memory.x_negation_words_in",
                 "leaflet.memory.x_negation_differs", "leaflet.memory.xǁMemoryǁsuggest",
                 "leaflet.memory.xǁMemoryǁrefused_negation", "leaflet.checks.x__has_negation",
                 "leaflet.checks.x__same_words", "leaflet.checks.x__expanded", "leaflet.checks.x__negation_changed"),
}

_NUMBERS = ("tests/guards/test_guard_numbers.py",)
_PLACEHOLDERS = ("tests/guards/test_guard_placeholders_markup.py",)
_INVISIBLE = ("tests/guards/test_guard_invisible.py",)
_NEGATION = ("tests/guards/test_guard_negation.py",)
_GROUPING = r"""[,.\u00a0\u202f\u2009'\u066c ]"""

# (guard, name, file, old text, new text, tests that must fail)
MANUAL = (
    ("numbers", "numbers compared as sets, not counts", "leaflet/checks.py",
     'return Counter(run.lstrip("0") or "0" for run in re.findall(r"[0-9]+", joined))',
     'return Counter(set(run.lstrip("0") or "0" for run in re.findall(r"[0-9]+", joined)))', _NUMBERS),
    ("numbers", "_OTHER_DIGIT: Arabic-Indic digits only", "leaflet/checks.py",
     r'_OTHER_DIGIT = re.compile(r"(?![0-9])\d")', r'_OTHER_DIGIT = re.compile(r"(?![0-9])[\u0660-\u0669]")', _NUMBERS),
    ("numbers", "_OTHER_DIGIT: no other digit read", "leaflet/checks.py",
     r'_OTHER_DIGIT = re.compile(r"(?![0-9])\d")', r'_OTHER_DIGIT = re.compile(r"(?!\d)\d")', _NUMBERS),
    *(("numbers", f"_GROUPING without {gone}", "leaflet/checks.py", _GROUPING, _GROUPING.replace(gone, "", 1), _NUMBERS)
      for gone in (",", ".", r"\u00a0", r"\u202f", r"\u2009", "'", r"\u066c", " ")),
    ("numbers", "_GROUPING: two digits after a separator", "leaflet/checks.py",
     r"(?=\d{3}(?!\d))", r"(?=\d{2,3}(?!\d))", _NUMBERS),
    ("numbers", "_GROUPING: four digits after a separator", "leaflet/checks.py",
     r"(?=\d{3}(?!\d))", r"(?=\d{3})", _NUMBERS),
    ("numbers", "_ON_THE_HOUR: after a digit", "leaflet/checks.py",
     r'_ON_THE_HOUR = re.compile(r"(?<![\d.,:])', r'_ON_THE_HOUR = re.compile(r"(?<![.,:])', _NUMBERS),
    ("numbers", "_ON_THE_HOUR: three-digit hours", "leaflet/checks.py",
     r"(\d{1,2})\s?[:.hH]\s?00(?!\d)", r"(\d{1,3})\s?[:.hH]\s?00(?!\d)", _NUMBERS),
    ("numbers", "_ON_THE_HOUR: 00 followed by a digit", "leaflet/checks.py",
     r"(\d{1,2})\s?[:.hH]\s?00(?!\d)", r"(\d{1,2})\s?[:.hH]\s?00", _NUMBERS),
    ("numbers", "_ON_THE_HOUR: no capital H", "leaflet/checks.py",
     r"(\d{1,2})\s?[:.hH]\s?00(?!\d)", r"(\d{1,2})\s?[:.h]\s?00(?!\d)", _NUMBERS),
    ("numbers", "_ON_THE_HOUR: no full stop", "leaflet/checks.py",
     r"(\d{1,2})\s?[:.hH]\s?00(?!\d)", r"(\d{1,2})\s?[:hH]\s?00(?!\d)", _NUMBERS),
    ("numbers", "SPOKEN_SYMBOLS without the degree Celsius sign", "leaflet/checks.py",
     r"\u2030 \u2103 \u2109", r"\u2030 \u2109", _NUMBERS),
    ("numbers", "_CJK_NUMERALS without 三", "leaflet/checks.py", "〇零一二三四五", "〇零一二四五", _NUMBERS),
    ("numbers", "_NUMBER_GAPS without a comma", "leaflet/checks.py",
     '_NUMBER_GAPS = " .,:/', '_NUMBER_GAPS = " .:/', _NUMBERS),
    ("numbers", "_NUMBER_SIGNS without the minus sign", "leaflet/checks.py",
     r'_NUMBER_SIGNS = "+-\u2212', '_NUMBER_SIGNS = "+-', _NUMBERS),
    ("numbers", "_NUMBER_SIGNS without <", "leaflet/checks.py", r"\u00b1<>\u2264", r"\u00b1>\u2264", _NUMBERS),
    ("placeholders", "checks._PLACEHOLDER: doubled braces read as a placeholder", "leaflet/checks.py",
     r'_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}\s]*)\}(?!\})")', r'_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")',
     _PLACEHOLDERS),
    ("placeholders", "checks._PLACEHOLDER: word characters only", "leaflet/checks.py",
     r'_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}\s]*)\}(?!\})")', r'_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")',
     _PLACEHOLDERS),
    ("placeholders", "localize._PLACEHOLDER: finds none", "leaflet/localize.py",
     r'_PLACEHOLDER = re.compile(r"\{(\w+)\}")', r'_PLACEHOLDER = re.compile(r"\{(\w+)\}\}")', _PLACEHOLDERS),
    ("markup", "_MARKUP without character references", "leaflet/checks.py",
     "|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);", "", _PLACEHOLDERS),
    ("markup", "_MARKUP without <! and <?", "leaflet/checks.py",
     r"<\s*/?\s*[A-Za-z!?][^<>]*>", r"<\s*/?\s*[A-Za-z][^<>]*>", _PLACEHOLDERS),
    ("markup", "_MARKUP without CDATA", "leaflet/checks.py", r"|<!\[CDATA\[|\]\]>", "", _PLACEHOLDERS),
    ("invisible", "legible.MAX_MARKS = 3", "leaflet/legible.py", "MAX_MARKS = 4", "MAX_MARKS = 3", _INVISIBLE),
    ("invisible", "legible.MAX_MARKS = 5", "leaflet/legible.py", "MAX_MARKS = 4", "MAX_MARKS = 5", _INVISIBLE),
    *(("invisible", f"_BLANK_LETTERS without {gone}", "leaflet/legible.py", r"\u115f\u1160\u3164\uffa0\u2800",
       r"\u115f\u1160\u3164\uffa0\u2800".replace(gone, ""), _INVISIBLE)
      for gone in (r"\u115f", r"\u1160", r"\u3164", r"\uffa0", r"\u2800")),
    ("negation", "memory.CLOSE_ENOUGH = 0.85", "leaflet/memory.py", "CLOSE_ENOUGH = 0.8", "CLOSE_ENOUGH = 0.85", _NEGATION),
    ("negation", "memory.CLOSE_ENOUGH = 0.75", "leaflet/memory.py", "CLOSE_ENOUGH = 0.8", "CLOSE_ENOUGH = 0.75", _NEGATION),
    ("negation", "_NOT_NEGATING: only 'pa egzanp' in full", "leaflet/memory.py",
     r"\bpa egz(?:anp\b|\.)", r"\bpa egzanp\b", _NEGATION),
    ("negation", "_NOT_NEGATING: 'pa egz' anywhere", "leaflet/memory.py", r"\bpa egz(?:anp\b|\.)", r"\bpa egz", _NEGATION),
    ("negation", "_FRENCH_NE: no curly apostrophe", "leaflet/memory.py", r"\bn['\u2019]", r"\bn[']", _NEGATION),
    ("negation", "_FRENCH_NE: any n", "leaflet/memory.py", r"\bn['\u2019]", r"n['\u2019]?", _NEGATION),
    ("negation", "_TOKEN_BREAK without ¿", "leaflet/memory.py", r"\u00a1\u00bf(", r"\u00a1(", _NEGATION),
    ("negation", "_TOKEN_BREAK without -", "leaflet/memory.py", r"/\-\u2013", r"/\u2013", _NEGATION),
)

# (guard, file, table, tests): one mutant per entry of the table, the entry taken out
TABLES = (
    ("negation", "leaflet/memory.py", "NEGATIONS", (_NEGATION[0] + "::test_every_english_negation_word_is_counted",)),
    ("negation", "leaflet/memory.py", "OPPOSITES", (_NEGATION[0] + "::test_every_opposite_pair_says_the_opposite",)),
    ("negation", "leaflet/memory.py", "_NEGATING_PREFIXES", (_NEGATION[0] + "::test_a_negating_prefix_says_the_opposite",)),
    ("negation", "leaflet/memory.py", "NEGATIONS_BY_LANGUAGE",
     (_NEGATION[0] + "::test_every_negation_word_of_every_shipped_language_is_counted",)),
    ("negation", "leaflet/memory.py", "_NEGATION_SYLLABLES",
     (_NEGATION[0] + "::test_the_negating_syllables_of_chinese_and_korean_are_counted",)),
    ("invisible", "leaflet/legible.py", "_MARKS", _INVISIBLE),
    ("numbers", "leaflet/checks.py", "SPOKEN_SYMBOLS", _NUMBERS),
    ("numbers", "leaflet/checks.py", "_CJK_NUMERALS", _NUMBERS),
)
