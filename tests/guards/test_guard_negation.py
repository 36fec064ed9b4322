"""The negation guard, adversarially: every negation word and opposite pair, in English and in each shipped
language, is seen; translation memory never offers a close match that says the opposite ("Never drive after
sedation." for "Drive after sedation."); a pronunciation entry never adds or drops a negation. The words are
written out here, never read from leaflet's own tables: a word taken out of a table must fail a test."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from leaflet.checks import _expanded, _same_words, check_catalog, pronunciation_findings
from leaflet.memory import Memory, negation_differs, negation_words, negation_words_in, similarity
from leaflet.speech.pronunciation import Entry, PronunciationList

ENGLISH = ("not no never none nor neither nothing nobody nowhere without cannot unless except avoid avoids avoided"
           " avoiding refrain refrains refrained refraining").split()
CONTRACTIONS = ("don't doesn't didn't isn't aren't wasn't weren't won't can't couldn't shouldn't mustn't wouldn't"
                " hasn't haven't hadn't needn't").split()
OPPOSITE_PAIRS = [("before", "after"), ("start", "stop"), ("starting", "stopping"), ("started", "stopped"),
                  ("starts", "stops"), ("increase", "decrease"), ("increases", "decreases"), ("more", "less"),
                  ("most", "least"), ("higher", "lower"), ("high", "low"), ("left", "right"), ("above", "below"),
                  ("over", "under"), ("include", "exclude"), ("allowed", "forbidden"), ("take", "stop"),
                  ("continue", "stop"), ("same", "different"), ("first", "last"), ("always", "never"),
                  ("with", "without"), ("can", "cannot"), ("should", "shouldn't"), ("must", "mustn't")]
# (language, negation words of that language)
BY_LANGUAGE = [
    ("es", "no nunca jamás ni nada nadie ningún ninguno ninguna sin tampoco evite evitar prohibido prohibida"
           " prohibidos prohibidas prohíbe prohíben"),
    ("fr", "ne pas jamais aucun aucune ni rien personne sans nul nulle évitez éviter interdit interdite interdits"
           " interdites interdiction"),
    ("pt", "não nunca jamais nem nada ninguém nenhum nenhuma sem evite evitar proibido proibida proibidos proibidas"
           " proíbe"),
    ("pl", "nie nigdy ani żaden żadna żadne nic nikt bez unikać unikaj zabronione zabroniony zabroniona zabrania zakaz"
           " zakazane wzbronione"),
    ("ru", "не нет никогда ни ничего никто нельзя без избегайте запрещено запрещается запрещены запрещена запрещён"
           " запрещен запрет воздерживайтесь"),
    ("vi", "không chưa đừng chớ chẳng cấm tránh"),
    ("ht", "pa pap okenn janm san evite entèdi"),
    ("fil", "hindi huwag wala di iwasan bawal ipinagbabawal"),
    ("hi", "नहीं न मत बिना ना वर्जित निषिद्ध निषेध"),
    ("ar", "لا لن لم ليس ليست غير بدون ممنوع تجنب عدم يمنع يحظر محظور"),
]
EVERY_WORD = [(language, word) for language, words in BY_LANGUAGE for word in words.split()]
# (language, text, the negations in it): the languages read by syllable
SYLLABLES = [
    ("zh", "不要吃", {"不": 1}), ("zh", "没有吃", {"没": 1}), ("zh", "別吃", {"別": 1}), ("zh", "别吃", {"别": 1}),
    ("zh", "请勿进食", {"勿": 1}), ("zh", "未进食", {"未": 1}), ("zh", "无糖", {"无": 1}), ("zh", "無糖", {"無": 1}),
    ("zh", "禁食", {"禁": 1}), ("zh", "非处方", {"非": 1}), ("zh", "不不", {"不": 2}),
    ("ko", "먹지 않아요", {"않": 1}), ("ko", "안 먹어요", {"안 ": 1}), ("ko", "못 가요", {"못": 1}),
    ("ko", "술 말고 물", {"말고": 1}), ("ko", "먹지 마세요", {"지 마": 1, "마세요": 1}),
    ("ko", "먹지마세요", {"지마": 1, "마세요": 1}), ("ko", "드시지 마십시오", {"지 마": 1, "마십시오": 1}),
    ("ko", "먹지 말고", {"지 말": 1, "말고": 1}), ("ko", "먹지말고", {"지말": 1, "말고": 1}),
    ("ko", "약이 없어요", {"없": 1}), ("ko", "흡연 금지", {"금지": 1}), ("ko", "물을 마셔요 and not", {"not": 1}),
    ("ko", "물을 마셔요", {}), ("zh", "喝水 not", {"not": 1}),
]
# A sentence long enough that one negation word added leaves it a close match (similarity over 0.8).
BASE = "drive a car or use machines for a whole day after the sedation."


def message(msgid, string="Traducción", context=None, **kwargs) -> Message:
    return Message(msgid, string, context=context, **kwargs)


def entry_problems(written: str, spoken: str, language: str) -> list[tuple[str, str, str]]:
    plist = PronunciationList(Path("p.toml"), (Entry(written, spoken, 3, "say"),), None, 0, "")
    return [(f.severity, f.code, f.message) for e, f in pronunciation_findings(plist, language) if e]


ADDED = ("error", "pron-negation", "a negation word in an entry: a pronunciation list says how a word is said, not"
                                   " what a sentence says; leave the sentence to the catalog (only \"don't\" ="
                                   " \"do not\" may be written out)")
CHANGED = ("error", "pron-negation", "a negation word is added or dropped: the voice would say the opposite of the text")


# --- English words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ENGLISH + CONTRACTIONS)
def test_every_english_negation_word_is_counted(word):
    assert negation_words(f"Please {word} drive, {word.upper()} drive.") == Counter({word: 2})


def test_a_curly_apostrophe_is_the_same_contraction_and_other_words_are_no_negation():
    assert negation_words("Don\u2019t eat. You can eat knots and nouns.") == Counter({"don't": 1})
    assert negation_words("Nothing, nothing and no.") == Counter({"nothing": 2, "no": 1})


@pytest.mark.parametrize("word", ENGLISH + CONTRACTIONS)
def test_memory_never_offers_a_close_match_that_adds_or_drops_a_negation(word):
    negated = f"{word.capitalize()} {BASE}"
    plain = BASE.capitalize()
    memory = Memory([message(negated, "Negado")])
    assert memory.suggest(plain, None) is None
    assert memory.refused_negation(plain) is True
    memory = Memory([message(plain, "Afirmado")])
    assert memory.suggest(negated, None) is None
    assert memory.refused_negation(negated) is True


def test_never_drive_after_sedation_is_not_offered_for_drive_after_sedation():
    memory = Memory([message("Never drive after sedation.", "Nunca conduzca después de la sedación.")])
    assert memory.suggest("Drive after sedation.", None) is None
    assert memory.refused_negation("Drive after sedation.") is True


def test_the_same_negation_written_again_is_offered():
    memory = Memory([message(f"Never {BASE}", "Nunca ...", context="a", user_comments=["mind"],
                             flags=["fuzzy", "c-format", "no-wrap"])], unchecked=True)
    suggestion = memory.suggest(f"Never {BASE[:-1]}!", "b")
    assert (suggestion.string, suggestion.previous_id, suggestion.previous_context, suggestion.exact) == (
        "Nunca ...", f"Never {BASE}", "a", False)
    assert suggestion.user_comments == ("mind",) and suggestion.flags == ("c-format", "no-wrap")
    assert suggestion.same_key is False and suggestion.previous == ()
    assert Memory([message(f"Never {BASE}")]).refused_negation(f"Never {BASE[:-1]}!") is False


# Two sentences alike in the first and opposite in the second: a guard that reads only the first sentence (or
# only up to a full stop) sees no difference. Each pair is similar enough (0.8 or more) to be offered.
SECOND_SENTENCE = [
    ("Eat normally. Do not drive.", "Eat normally. Drive."),
    ("Eat normally today. Never drive a car after it.", "Eat normally today. Drive a car after it."),
    ("Rest at home today. Take the tablets before meals.", "Rest at home today. Take the tablets after meals."),
    ("Rest at home today! It is unsafe to swim.", "Rest at home today! It is safe to swim."),
]

# One word swapped for its opposite where the opposite already stands elsewhere in the sentence: the words of
# each side are counted, so "after" said twice for "before" and "after" is a swap, not a word said again.
SWAPPED_BESIDE_ITS_OPPOSITE = [
    ("Eat before 8 and drink after 10.", "Eat after 8 and drink after 10."),
    ("Eat before 8 and drink before 10.", "Eat before 8 and drink after 10."),
]


@pytest.mark.parametrize("one, other", SECOND_SENTENCE + SWAPPED_BESIDE_ITS_OPPOSITE)
def test_a_negation_or_opposite_in_the_second_sentence_or_beside_its_pair_is_seen(one, other):
    assert negation_differs(one, other) and negation_differs(other, one)


@pytest.mark.parametrize("one, other", SECOND_SENTENCE + SWAPPED_BESIDE_ITS_OPPOSITE)
def test_memory_never_offers_a_match_that_says_the_opposite_in_its_second_sentence_or_beside_its_pair(one, other):
    assert similarity(one, other) >= 0.8  # close enough to be offered, were it not for the negation
    assert Memory([message(one, "Negado")]).suggest(other, None) is None
    assert Memory([message(one, "Negado")]).refused_negation(other) is True
    assert Memory([message(other, "Afirmado")]).suggest(one, None) is None


def test_a_fuzzy_entry_whose_second_sentence_changed_its_negation_says_so():
    catalog = Catalog(locale="es", domain="hip")
    catalog.add("Eat normally. Do not drive.", "Coma normalmente. Conduzca.", flags=("fuzzy",),
                previous_id="Eat normally. Drive.")
    assert [f.code for f in check_catalog(catalog, "hip", "es", "hip.po")] == ["fuzzy-negation"]


# --- opposite words and negating prefixes -----------------------------------------------------------------


@pytest.mark.parametrize("one, other", OPPOSITE_PAIRS)
def test_every_opposite_pair_says_the_opposite(one, other):
    a, b = f"You {one} the dose today.", f"You {other} the dose today."
    assert negation_differs(a, b) and negation_differs(b, a)
    memory = Memory([message(f"You {one} the dose of the medicine today.")])
    assert memory.suggest(f"You {other} the dose of the medicine today.", None) is None


@pytest.mark.parametrize("one, other", [("before", "after"), ("take", "stop"), ("left", "right")])
def test_both_words_of_a_pair_on_both_sides_is_no_opposite(one, other):
    assert not negation_differs(f"{one} and {other} it", f"{other} and {one} it")
    assert not negation_differs(f"{one} and {other} it", f"{one} it and {other} it")


def test_a_word_of_a_pair_added_without_its_opposite_is_no_opposite():
    assert not negation_differs("Rest the day.", "Rest the day before.")
    assert not negation_differs("Rest before.", "Rest before today.")
    assert not negation_differs("Rest the day before.", "Rest the whole day.")
    assert not negation_differs("Rest the whole day.", "Rest the day before.")


def test_a_word_of_a_pair_said_once_more_beside_its_opposite_is_no_opposite():
    assert not negation_differs("Rest before and after it.", "Rest before and after it, after all.")
    assert not negation_differs("Rest before and after it, after all.", "Rest before and after it.")




@pytest.mark.parametrize(
    "one, other",
    [("safe", "unsafe"), ("urgent", "nonurgent"), ("active", "inactive"), ("possible", "impossible"),
     ("regular", "irregular"), ("legal", "illegal"), ("continue", "discontinue"), ("able", "unable")],
)
def test_a_negating_prefix_says_the_opposite(one, other):
    assert negation_differs(f"It is {one} today.", f"It is {other} today.")
    assert negation_differs(f"It is {other} today.", f"It is {one} today.")


@pytest.mark.parametrize("one, other", [("to", "into"), ("due", "undue"), ("ion", "union"), ("safe", "unsaf")])
def test_a_prefix_on_a_word_under_four_letters_or_another_word_is_no_opposite(one, other):
    assert not negation_differs(f"It is {one} today.", f"It is {other} today.")


# --- translation memory -----------------------------------------------------------------------------------


def test_the_closest_match_that_keeps_the_meaning_is_offered_past_one_that_does_not():
    memory = Memory([message("Never drive after the sedation today.", "Nunca"),
                     message("Drive after the sedation, today.", "Conduzca")])
    suggestion = memory.suggest("Drive after the sedation today.", None)
    assert suggestion.string == "Conduzca" and suggestion.previous_id == "Drive after the sedation, today."
    assert memory.refused_negation("Drive after the sedation today.") is False


def test_a_match_in_the_same_context_and_checked_is_preferred():
    memory = Memory([message("Rest for a whole day after it.", "Otro", context="a"),
                     message("Rest for a whole day after it.", "Mismo (sin revisar)", context="b", flags=["fuzzy"]),
                     message("Rest for a whole day after it.", "Mismo", context="b")], unchecked=True)
    assert memory.suggest("Rest for a whole day after it!", "b").string == "Mismo"
    assert memory.suggest("Rest for a whole day after it!", "a").string == "Otro"


def test_an_exact_key_is_taken_as_translated_only_when_checked():
    memory = Memory([message("Rest.", "Descanse.", context="a", previous_id=["Rest now."], flags=["no-wrap"],
                             user_comments=["say it gently"])])
    suggestion = memory.suggest("Rest.", "a")
    assert (suggestion.string, suggestion.exact, suggestion.same_key, suggestion.previous, suggestion.flags) == (
        "Descanse.", True, True, ("Rest now.",), ("no-wrap",))
    assert (suggestion.previous_id, suggestion.previous_context, suggestion.user_comments) == (
        "Rest.", "a", ("say it gently",))
    other = memory.suggest("Rest.", "b")  # another context: only a suggestion
    assert (other.string, other.exact, other.same_key, other.previous_context) == ("Descanse.", False, False, "a")
    fuzzy = Memory([message("Rest.", "Descanse.", context="a", flags=["fuzzy"])], unchecked=True).suggest("Rest.", "a")
    assert (fuzzy.exact, fuzzy.same_key) == (False, True)


def test_plural_messages_are_only_reused_exactly():
    memory = Memory([message(("{count} day", "{count} days"), ("{count} día", "{count} días"))])
    assert memory.suggest(("{count} day", "{count} days"), None).string == ("{count} día", "{count} días")
    assert memory.suggest(("{count} day", "{count} days"), None).previous_id == "{count} day"
    assert memory.suggest(("{count} day", "{count} dayz"), None) is None
    assert memory.suggest(("{count} day!", "{count} days!"), None) is None
    assert Memory([message("{count} day", "{count} día")]).suggest(("{count} day", "{count} days"), None) is None


def test_a_close_match_is_offered_at_a_similarity_of_0_8_and_not_below():
    memory = Memory([message("Do not eat anything after midnight.", "No coma nada después de medianoche.")])
    # the similarities (difflib's ratio of the lower-cased texts) are 0.805 and 0.779
    assert memory.suggest("Do not eat any food at all after midnight.", None).string == "No coma nada después de medianoche."
    assert memory.suggest("Do not eat any food at all after midnight!", None) is None
    assert memory.refused_negation("Do not eat any food at all after midnight!") is False


def test_refused_negation_needs_a_close_match():
    memory = Memory([message("Never drive after sedation.")])
    assert memory.refused_negation("Something else entirely.") is False
    assert Memory().refused_negation("Drive after sedation.") is False


# --- the languages of the shipped catalogs ----------------------------------------------------------------


@pytest.mark.parametrize("language, word", EVERY_WORD)
def test_every_negation_word_of_every_shipped_language_is_counted(language, word):
    assert negation_words_in(f"xyz {word}, xyz", language) == Counter({word: 1})
    assert negation_words_in(f"xyz {word.upper()} {word}.", language) == Counter({word: 2})


@pytest.mark.parametrize("language, word", EVERY_WORD)
def test_a_pronunciation_entry_that_adds_a_negation_is_an_error_in_every_language(language, word):
    assert entry_problems("xyz", f"{word} xyz", language) == [ADDED]
    assert entry_problems(f"{word} xyz", "xyz", language) == [ADDED]


@pytest.mark.parametrize("language, text, found", SYLLABLES)
def test_the_negating_syllables_of_chinese_and_korean_are_counted(language, text, found):
    assert negation_words_in(text, language) == Counter(found)


@pytest.mark.parametrize("language, text", [(language, text) for language, text, found in SYLLABLES if found])
def test_a_pronunciation_entry_that_adds_a_negating_syllable_is_an_error(language, text):
    assert entry_problems("xyz", text, language) == [ADDED]


def test_french_n_apostrophe_is_a_negation_but_an_acronyms_n_is_not():
    assert negation_words_in("N'avalez pas, n\u2019avalez rien.", "fr") == Counter({"n'": 2, "pas": 1, "rien": 1})
    assert negation_words_in("A I N S", "fr") == Counter()
    assert negation_words_in("Prenez-le.", "fr") == Counter()


def test_haitian_pa_egzanp_says_for_example_not_no():
    assert negation_words_in("pa egzanp, pran dlo", "ht") == Counter()
    assert negation_words_in("Pa egz. pran dlo", "ht") == Counter()
    assert negation_words_in("pa manje", "ht") == Counter({"pa": 1})
    assert negation_words_in("pa egzante", "ht") == Counter({"pa": 1})


def test_a_locale_is_read_as_its_language_and_an_unlisted_one_with_the_english_words():
    assert negation_words_in("não coma", "pt_BR") == Counter({"não": 1})
    assert negation_words_in("zh: 不要", "zh_Hans") == Counter({"不": 1})
    assert negation_words_in("nicht essen, not now", "de") == Counter({"not": 1})
    assert negation_words_in("¿No? (nunca)", "es") == Counter({"no": 1, "nunca": 1})
    assert negation_words_in("no-comer", "es") == Counter({"no": 1})


# --- pronunciation entries --------------------------------------------------------------------------------


def test_an_english_entry_that_swaps_an_opposite_word_is_an_error():
    assert entry_problems("pre-op", "after", "en") == []
    assert entry_problems("before", "after", "en") == [CHANGED]
    assert entry_problems("L hip", "right hip", "en") == []
    assert entry_problems("left", "right", "en_GB") == [CHANGED]
    assert entry_problems("safe", "unsafe", "en") == [CHANGED]


def test_only_an_english_list_is_held_to_the_english_opposites():
    assert entry_problems("before", "after", "es") == []


@pytest.mark.parametrize("written, spoken", [("don't", "do not"), ("can't", "can not"), ("cannot", "can not"),
                                              ("won't", "will not"), ("Don\u2019t", "do  not"), ("isn't", "is not")])
def test_a_contraction_written_out_is_the_one_negation_an_entry_may_hold(written, spoken):
    assert entry_problems(written, spoken, "en") == []
    assert _same_words(written, spoken) and _same_words(spoken, written)


@pytest.mark.parametrize("written, spoken", [("don't", "do"), ("won't", "wont not"), ("can't", "cant"),
                                              ("no", "not"), ("not", "no")])
def test_any_other_negation_in_an_english_entry_is_an_error(written, spoken):
    assert entry_problems(written, spoken, "en") == [ADDED]


@pytest.mark.parametrize(
    "text, expanded",
    [("Don\u2019t  EAT", "do not eat"), ("can't", "can not"), ("cannot", "can not"), ("won't", "will not"),
     ("isn't", "is not"), ("scannot", "scannot"), ("won'tx", "won'tx"), ("wanted", "wanted"), ("", "")],
)
def test_expanded_writes_contractions_out(text, expanded):
    assert _expanded(text) == expanded


def test_a_number_said_as_a_negation_word_is_a_negation_added():
    def numbers_entry(written, spoken):
        plist = PronunciationList(Path("p.toml"), (Entry(written, spoken, 3, "numbers"),), None, 0, "")
        return [(f.severity, f.code, f.message) for e, f in pronunciation_findings(plist, "es") if e]

    assert numbers_entry("0", "cero") == []
    assert numbers_entry("0", "nada") == [CHANGED]


# Eight sentences that each add a negation word to QUERY, all closer to it than PLAIN, which keeps its meaning.
QUERY = "Drive a car after the sedation today."
NEGATED = [f"{word} drive a car after the sedation today." for word in
           ("Never", "Not", "No", "Don't", "Nor", "Avoid", "Cannot", "None")]
PLAIN = "Drive a car after the sedation today, but slowly."  # similarity 0.86, the negated ones 0.91-0.96


def test_memory_looks_past_up_to_seven_closer_matches_that_say_the_opposite():
    memory = Memory([message(text, "Negado") for text in NEGATED[:7]] + [message(PLAIN, "Despacio")])
    assert memory.suggest(QUERY, None).string == "Despacio"
    assert memory.refused_negation(QUERY) is False


def test_memory_looks_at_eight_close_matches_and_no_more():
    memory = Memory([message(text, "Negado") for text in NEGATED] + [message(PLAIN, "Despacio")])
    assert memory.suggest(QUERY, None) is None
    assert memory.refused_negation(QUERY) is True


def test_a_match_under_0_8_is_no_refusal():
    memory = Memory([message("Never eat anything after midnight.")])
    assert memory.refused_negation("Eat any food after midnight.") is False  # similarity 0.74


def test_an_english_negation_word_counts_in_every_language():
    assert entry_problems("xyz", "not xyz", "es") == [ADDED]
    assert entry_problems("not xyz", "xyz", "ko") == [ADDED]


def test_what_a_not_negating_phrase_or_french_n_leaves_is_read_as_words():
    assert negation_words_in("pa egz.pa manje", "ht") == Counter({"pa": 1})
    assert negation_words_in("Il n'interdit pas l'eau.", "fr") == Counter({"n'": 1, "interdit": 1, "pas": 1})
