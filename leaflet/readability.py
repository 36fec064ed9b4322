"""Reading ease of a text, where a validated formula exists for its language (STANDARDS.md, plain language).

English: Flesch-Kincaid grade (target 6, warn above 8). Spanish: Fernandez-Huerta, French: Kandel-Moles,
German: Amstad, all Flesch adaptations (warn below 60); Italian: Gulpease (warn below 60). Other languages
have no validated formula here: None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

GRADE_LIMIT = 8.0  # Flesch-Kincaid grade above which a patient text is too hard (AMA/NIH: 6th-8th grade)
EASE_LIMIT = 60.0  # the Flesch-style scores: below 60 is "fairly difficult" or worse
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# A sentence ends at . ! ? (or ; :) followed by a space and not inside "e.g." or "Dr."; a list item or a
# heading without a full stop is a sentence of its own.
_SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\be\.g)(?<!\bi\.e)[.!?]+(?=\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Score:
    formula: str
    value: float
    too_hard: bool
    words: int
    sentences: int

    def describe(self) -> str:
        if self.formula == "Flesch-Kincaid grade":
            return f"reads at grade {self.value:.1f} ({self.formula}; aim for 6, at most {GRADE_LIMIT:g})"
        return f"reading ease {self.value:.0f} ({self.formula}; aim for {EASE_LIMIT:g} or more)"


def _english_syllables(word: str) -> int:
    """Vowel groups, less a silent final e ("joint" 1, "procedure" 3, "anesthesia" 5)."""
    word = word.lower().strip("'\u2019")
    groups = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    if word.endswith(("ed", "es")) and len(word) > 3 and word[-3] not in "aeiouytd" and groups > 1:
        groups -= 1  # "hoped", "takes": the e is silent (but "needed", "places" keep it)
    return max(1, groups)


@lru_cache(maxsize=None)
def _hyphenator(lang: str):
    import pyphen

    return pyphen.Pyphen(lang=lang, left=1, right=1)


def _pyphen_syllables(lang: str):
    hyphenator = _hyphenator(lang)
    return lambda word: max(1, len(hyphenator.positions(word.lower())) + 1)


def _counts(text: str, syllables) -> tuple[int, int, int, int]:
    """(sentences, words, syllables, letters)"""
    words = _WORD.findall(text)
    sentences = 0
    for line in filter(None, (line.strip() for line in text.splitlines())):
        ends = len(_SENTENCE_END.findall(line))
        sentences += ends + (0 if re.search(r"[.!?]\W*$", line) else 1)
    return max(1, sentences), len(words), sum(syllables(w) for w in words), sum(len(w) for w in words)


def score(text: str, language: str) -> Score | None:
    """The text's score in its language's formula, or None where there is none (or too few words to tell)."""
    language = language.split("_")[0].split("-")[0]
    if language == "en":
        sentences, words, syllables, _ = _counts(text, _english_syllables)
    elif language in ("es", "fr", "de", "it"):
        sentences, words, syllables, letters = _counts(text, _pyphen_syllables(language))
    else:
        return None
    if words < 10:
        return None
    asl, asw = words / sentences, syllables / words
    if language == "en":
        value = 0.39 * asl + 11.8 * asw - 15.59
        return Score("Flesch-Kincaid grade", value, value > GRADE_LIMIT, words, sentences)
    if language == "it":
        value = 89 + (300 * sentences - 10 * letters) / words
        return Score("Gulpease", value, value < EASE_LIMIT, words, sentences)
    base, per_sentence, per_syllable, name = {
        "es": (206.84, 1.02, 60.0, "Fernandez-Huerta"),
        "fr": (207.0, 1.015, 73.6, "Kandel-Moles"),
        "de": (180.0, 1.0, 58.5, "Amstad"),
    }[language]
    value = base - per_sentence * asl - per_syllable * asw
    return Score(name, value, value < EASE_LIMIT, words, sentences)
