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

# (guard, name, file, old text, new text, tests that must fail)
MANUAL = ()

# (guard, file, table, tests): one mutant per entry of the table, the entry taken out
TABLES = ()
