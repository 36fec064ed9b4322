"""Translation memory: reuse what translators already wrote, without ever reversing a medical instruction."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from typing import Iterable

from babel.messages.catalog import Catalog, Message

CLOSE_ENOUGH = 0.8  # similarity at which a translation is offered as a fuzzy suggestion
# Words whose presence or absence turns an instruction around ("Eat" / "Do not eat"). Every word ending in
# "n't" counts as well (don't, can't, won't, shouldn't, ...): negation_words says so, not this list.
NEGATIONS = frozenset(
    """not no never none nor neither nothing nobody nowhere without cannot unless except
    avoid avoids avoided avoiding refrain refrains refrained refraining""".split()
)
# Words that turn an instruction around when one takes the other's place ("before" / "after" the procedure,
# the "left" / "right" hip). A pair with a negation word in it (always/never, with/without, can/cannot,
# should/shouldn't) needs no entry: the negation word already tells the two sentences apart.
OPPOSITES = tuple(
    frozenset(pair.split("/"))
    for pair in """before/after start/stop starting/stopping started/stopped starts/stops increase/decrease
    increases/decreases more/less most/least higher/lower high/low left/right above/below
    over/under include/exclude allowed/forbidden take/stop continue/stop same/different first/last""".split()
)
# Prefixes that make a word its opposite ("necessary" / "unnecessary", "safe" / "unsafe").
_NEGATING_PREFIXES = ("un", "non", "in", "im", "ir", "il", "dis")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def _words(text: str) -> Counter[str]:
    return Counter(w.lower().replace("\u2019", "'") for w in _WORD.findall(text))


def negation_words(text: str) -> Counter[str]:
    return Counter({w: n for w, n in _words(text).items() if w in NEGATIONS or w.endswith("n't")})


# Negation words of the shipped languages, for a text in that language (a pronunciation list's spoken form): the
# words or, for languages written without spaces (Chinese) or whose negation is a syllable of a word (Korean), the
# characters that turn a sentence around. A language not listed is read with the English words.
# "Forbidden" words count too (prohibido, interdit, запрещено, वर्जित, عدم): "prohibido comer" said "comer"
# reverses an instruction as surely as a dropped "no". Korean forbids with -지 말다 (먹지 마라, 드시지 마십시오).
# These lists only feed checks: they never change what is printed or spoken.
NEGATIONS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "es": frozenset("no nunca jamás ni nada nadie ningún ninguno ninguna sin tampoco evite evitar prohibido prohibida"
                     " prohibidos prohibidas prohíbe prohíben".split()),
    "fr": frozenset("ne pas jamais aucun aucune ni rien personne sans nul nulle évitez éviter interdit interdite"
                     " interdits interdites interdiction".split()),
    "pt": frozenset("não nunca jamais nem nada ninguém nenhum nenhuma sem evite evitar proibido proibida proibidos"
                     " proibidas proíbe".split()),
    "pl": frozenset("nie nigdy ani żaden żadna żadne nic nikt bez unikać unikaj zabronione zabroniony zabroniona"
                     " zabrania zakaz zakazane wzbronione".split()),
    "ru": frozenset("не нет никогда ни ничего никто нельзя без избегайте запрещено запрещается запрещены запрещена"
                     " запрещён запрещен запрет воздерживайтесь".split()),
    "vi": frozenset("không chưa đừng chớ chẳng cấm tránh".split()),
    "ht": frozenset("pa pap okenn janm san evite entèdi".split()),
    "fil": frozenset("hindi huwag wala di iwasan bawal ipinagbabawal".split()),
    "hi": frozenset("नहीं न मत बिना ना वर्जित निषिद्ध निषेध".split()),
    "ar": frozenset("لا لن لم ليس ليست غير بدون ممنوع تجنب عدم يمنع يحظر محظور".split()),
}
_NEGATION_SYLLABLES = {"zh": ("不", "没", "別", "别", "勿", "未", "无", "無", "禁", "非"), "ko": ("않", "안 ", "못", "말고", "마세요", "마십시오", "지 마", "지마", "지 말", "지말", "없", "금지")}


# Phrases with a negation word in them that say no negation: Haitian Creole "pa egzanp" ("for example").
_NOT_NEGATING = {"ht": re.compile(r"\bpa egz(?:anp\b|\.)", re.I)}
# French "n'" before a vowel ("n'avalez pas"), not the letter n of an acronym ("A I N S").
_FRENCH_NE = re.compile(r"\bn['\u2019]", re.I)


def negation_words_in(text: str, language: str) -> Counter[str]:
    """The negation words of a text in a language (a locale such as "pt_BR" is read as its language)."""
    language = language.split("_")[0]
    if language in _NOT_NEGATING:
        text = _NOT_NEGATING[language].sub(" ", text)
    found: Counter[str] = Counter()
    if language == "fr":
        found["n'"] = len(_FRENCH_NE.findall(text))
        text = _FRENCH_NE.sub(" ", text)
    if language in _NEGATION_SYLLABLES:
        found.update({s: text.count(s) for s in _NEGATION_SYLLABLES[language] if s in text})
        return found + negation_words(text)  # a Latin word in the text ("not") counts too
    words = NEGATIONS_BY_LANGUAGE.get(language)
    if words is None:
        return found + negation_words(text)
    return found + Counter(w for w in (w.lower() for w in _TOKEN_BREAK.split(text)) if w in words)


# Words end at white space, digits and punctuation (not at a vowel sign: "नहीं" is one word); an apostrophe ends
# one too, so that French "n'" is a word of its own.
_TOKEN_BREAK = re.compile(r"[\s\d.,;:!?\u00a1\u00bf()\[\]{}\"'\u00ab\u00bb\u201c\u201d\u2018\u2019/\-\u2013\u2014\u061f\u060c\u0964]+")


def negation_differs(a: str, b: str) -> bool:
    """True when one sentence may say the opposite of the other: they differ in a negation word (added,
    removed, or used a different number of times), one has a word where the other has its opposite
    ("before" / "after"), or the same word with a negating prefix ("safe" / "unsafe")."""
    if negation_words(a) != negation_words(b):
        return True
    words_a, words_b = _words(a), _words(b)
    only_a, only_b = set(words_a - words_b), set(words_b - words_a)
    if not only_a or not only_b:
        return False
    # only_a and only_b share no word: a pair with a word in each is one word swapped for its opposite
    if any(pair & only_a and pair & only_b for pair in OPPOSITES):
        return True
    return any(
        (x == prefix + y and len(y) >= 4) or (y == prefix + x and len(x) >= 4)  # not "to" / "into"
        for x in only_a
        for y in only_b
        for prefix in _NEGATING_PREFIXES
    )


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower(), b.lower()).ratio()


@dataclass(frozen=True)
class Suggestion:
    string: str | tuple[str, ...]
    previous_id: str
    previous_context: str | None
    exact: bool  # a checked translation of the same msgid and msgctxt: take it as translated
    user_comments: tuple[str, ...] = ()
    same_key: bool = False  # the same msgid and msgctxt (checked or not): the entry itself comes back
    previous: tuple[str, ...] = ()  # the source's own `#| msgid`, when it was a fuzzy entry
    flags: tuple[str, ...] = ()  # the translator's flags on the source ("no-wrap"), fuzzy left out


class Memory:
    """Translated messages of one locale, searchable by exact key and by similarity.

    With `unchecked=True` it also holds fuzzy messages (a catalog's own earlier suggestions, so that a
    sentence edited twice keeps its suggestion); those are only ever offered as fuzzy again.
    """

    def __init__(self, messages: Iterable[Message] = (), *, unchecked: bool = False):
        self._exact: dict[tuple[str, str | None], Message] = {}
        self._by_text: dict[str, list[Message]] = {}
        self._unchecked = unchecked
        for message in messages:
            self.add(message)

    @classmethod
    def from_catalogs(cls, catalogs: Iterable[Catalog]) -> "Memory":
        return cls(m for catalog in catalogs for m in catalog if m.id and is_translated(m))

    def add(self, message: Message) -> None:
        if not message.id or not (is_translated(message) or (self._unchecked and has_text(message))):
            return
        key = (_key(message.id), message.context)
        if key not in self._exact or self._exact[key].fuzzy:  # a checked translation wins
            self._exact[key] = message
        if isinstance(message.id, str):
            self._by_text.setdefault(message.id.lower(), []).append(message)

    def __len__(self) -> int:
        return len(self._exact)

    def suggest(self, msgid: str | tuple[str, ...], context: str | None) -> Suggestion | None:
        found = self._exact.get((_key(msgid), context))
        if found is not None and _same_shape(found.id, msgid):
            return Suggestion(
                found.string, _key(found.id), found.context, not found.fuzzy, tuple(found.user_comments),
                same_key=True, previous=tuple(found.previous_id or ()), flags=_kept_flags(found),
            )
        if not isinstance(msgid, str):
            return None  # plural messages are only ever reused exactly
        for text in get_close_matches(msgid.lower(), self._by_text.keys(), n=8, cutoff=CLOSE_ENOUGH):
            candidates = sorted(self._by_text[text], key=lambda m: (m.context != context, m.fuzzy))
            best = candidates[0]
            if not negation_differs(msgid, best.id):
                return Suggestion(best.string, best.id, best.context, False, tuple(best.user_comments), flags=_kept_flags(best))
        return None


    def refused_negation(self, msgid: str) -> bool:
        """True when close matches exist but every one of them differs in a negation word."""
        close = get_close_matches(msgid.lower(), self._by_text.keys(), n=8, cutoff=CLOSE_ENOUGH)
        return bool(close) and all(negation_differs(msgid, self._by_text[t][0].id) for t in close)


def is_translated(message: Message) -> bool:
    """Translated and checked: not fuzzy, and every form has text (white space alone is no translation)."""
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return bool(strings) and all(s and s.strip() for s in strings)


def _kept_flags(message: Message) -> tuple[str, ...]:
    return tuple(sorted(flag for flag in message.flags if flag != "fuzzy"))


def has_text(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return any(s and s.strip() for s in strings)


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _same_shape(a, b) -> bool:
    return isinstance(a, str) == isinstance(b, str) and (isinstance(a, str) or tuple(a) == tuple(b))
