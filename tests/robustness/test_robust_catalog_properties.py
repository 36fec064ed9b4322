"""Properties of leaflet's catalogs: what leaflet writes it reads back whole, and `update` never loses a translation.

Through leaflet's own functions (catalogs.write_catalog / serialize, read_catalog, update_catalog), on real files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.catalog import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflet import catalogs
from leaflet.catalogs import Catalog, Layout

# Any text a translator or a clinic could write, control characters, line and paragraph separators, bidi marks
# and characters beyond the BMP included (surrogates cannot be encoded).
_any_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)
# Sentences close to each other, so that `update` finds fuzzy matches among them, and negations that forbid one.
_SENTENCES = [
    "Do not eat after midnight.",
    "Do not eat after midnight before the procedure.",
    "Eat after midnight.",
    "Take your medicines with water.",
    "Take your medicines with a little water.",
    "Stop taking aspirin 5 days before.",
    "Start taking aspirin 5 days before.",
    "You can go home the same day.",
]
_msgid = st.one_of(st.sampled_from(_SENTENCES), _any_text)
_context = st.one_of(st.none(), st.sampled_from(["summary", "risks", "preparation"]), _any_text)
_translation = st.one_of(st.just(""), _any_text)
# One line of a comment, as an editor writes it: no line end, no space at its ends (PO comments are lines,
# and Babel strips them). A comment beginning with "|" would be a `#|` previous-source line, not a note.
_comment = _any_text.map(lambda s: " ".join(s.split())).filter(lambda s: s and not s.startswith(("|", "~", ",", ".", ":")))
# The translator's flags; python-format is one leaflet takes off a procedure's messages on purpose.
_flags = st.sets(st.sampled_from(["fuzzy", "no-wrap", "c-format", "x-checked"]), max_size=3)
_LOCALES = {"fr": 2, "ru": 3, "ar": 6, "ja": 1}

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def _entries(draw, plural_forms: int, max_size: int = 8) -> list[dict]:
    keys = draw(st.lists(st.tuples(_msgid, _context), max_size=max_size, unique_by=lambda k: k))
    entries = []
    for msgid, context in keys:
        plural = draw(st.booleans()) and draw(st.booleans())
        entries.append({
            "id": (msgid, draw(_any_text)) if plural else msgid,
            "context": context,
            "string": tuple(draw(_translation) for _ in range(plural_forms)) if plural else draw(_translation),
            "flags": draw(_flags),
            "user_comments": draw(st.lists(_comment, max_size=2)),
            "auto_comments": draw(st.lists(_comment, max_size=2)),
            "previous_id": draw(st.lists(_msgid, max_size=1)),
        })
    return entries


def _message(entry: dict) -> Message:
    message = Message(entry["id"], entry["string"], flags=entry["flags"], context=entry["context"],
                      user_comments=entry["user_comments"], auto_comments=entry["auto_comments"])
    if message.fuzzy and isinstance(entry["id"], str):
        message.previous_id = list(entry["previous_id"])
    return message


def _comments(lines: list[str]) -> list[str]:
    """A comment's words: Babel wraps a long comment onto several `#` lines, which read back as several."""
    return " ".join(lines).split()


def _seen(message: Message, document: bool) -> tuple:
    flags = set(message.flags) - (set(catalogs._FORMAT_FLAGS) if document else set())
    string = tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string
    msgid = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
    previous = list(message.previous_id or []) if message.fuzzy and isinstance(msgid, str) else []
    return (msgid, message.context, string, flags, _comments(message.user_comments),
            _comments(message.auto_comments), previous)


@SETTINGS
@given(
    locale=st.sampled_from(sorted(_LOCALES)),
    live=st.data(),
    document=st.booleans(),
)
def test_a_catalog_written_then_read_has_the_same_messages(locale, live, document):
    plural_forms = _LOCALES[locale]
    entries = live.draw(_entries(plural_forms))
    gone = live.draw(_entries(plural_forms, max_size=4))
    taken = {(e["id"] if isinstance(e["id"], str) else e["id"][0], e["context"]) for e in entries}
    gone = [e for e in gone if (e["id"] if isinstance(e["id"], str) else e["id"][0], e["context"]) not in taken]
    catalog = Catalog(locale=locale, domain="x", charset="utf-8")
    for entry in entries:
        catalog[entry["id"]] = _message(entry)
    for entry in gone:
        message = _message(entry)
        message.previous_id = []
        catalog.obsolete[catalog._key_for(entry["id"], entry["context"])] = message
    expected = sorted((_seen(m, document) for m in catalog if m.id), key=repr)
    expected_gone = sorted((_seen(m, document)[:5] for m in catalog.obsolete.values()), key=repr)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.po"
        catalogs.write_catalog(path, catalog, document=document)
        again = catalogs.read_catalog(path, locale=locale)
        assert sorted((_seen(m, document) for m in again if m.id), key=repr) == expected
        assert sorted((_seen(m, document)[:5] for m in again.obsolete.values()), key=repr) == expected_gone
        # what leaflet reads, it writes back byte for byte: a second save changes nothing
        assert catalogs.serialize(again, document=document) == path.read_bytes()


# --- update never drops a translation ------------------------------------------------------------------------


def _key(entry_or_message) -> tuple:
    msgid = entry_or_message["id"] if isinstance(entry_or_message, dict) else entry_or_message.id
    context = entry_or_message["context"] if isinstance(entry_or_message, dict) else entry_or_message.context
    return (msgid if isinstance(msgid, str) else msgid[0], context)


def _has_text(string) -> bool:
    strings = string if isinstance(string, (list, tuple)) else (string,)
    return any(s and s.strip() for s in strings)


@SETTINGS
@given(data=st.data(), locale=st.sampled_from(["fr", "ru"]))
def test_update_keeps_every_translation_as_live_or_obsolete(data, locale):
    """Merging a new template into a translated catalog: a message still in the template keeps its translation
    and its fuzzy mark; one the template no longer has is kept as obsolete, with its fuzzy mark; an obsolete
    entry whose message is back comes back (checked if it was checked, fuzzy if it was fuzzy)."""
    plural_forms = {"fr": 2, "ru": 3}[locale]
    live = data.draw(_entries(plural_forms))
    old = data.draw(_entries(plural_forms, max_size=4))
    keys = {_key(e) for e in live}
    old = [e for e in old if _key(e) not in keys]
    # the new template: some messages kept, some removed, some back from obsolete, some new
    kept = [e for e in live if data.draw(st.booleans())]
    back = [e for e in old if data.draw(st.booleans())]
    new = [e for e in data.draw(_entries(plural_forms, max_size=3)) if _key(e) not in keys | {_key(o) for o in old}]
    template = Catalog(domain="x", charset="utf-8")
    for entry in [*kept, *back, *new]:
        template.add(entry["id"], context=entry["context"])

    catalog = Catalog(locale=locale, domain="x", charset="utf-8")
    for entry in live:
        catalog[entry["id"]] = _message(entry)
    for entry in old:
        catalog.obsolete[catalog._key_for(entry["id"], entry["context"])] = _message(entry)
    with tempfile.TemporaryDirectory() as folder:
        layout = Layout(Path(folder))
        path = layout.po("x", locale)
        path.parent.mkdir(parents=True)
        catalogs.write_catalog(path, catalog, document=True)
        written = catalogs.read_catalog(path, locale=locale, domain="x")
        catalogs.update_catalog(layout, template, "x", locale)
        merged = catalogs.read_catalog(path, locale=locale, domain="x")

    result = {_key(m): m for m in merged if m.id}
    obsolete = {_key(m): m for m in merged.obsolete.values()}
    assert set(result) == {_key(m) for m in template if m.id}  # the template's messages, nothing else live
    template_keys = set(result)
    for before in [*written, *written.obsolete.values()]:
        if not before.id or not _has_text(before.string):
            continue
        key = _key(before)
        if key in template_keys:
            after = result[key]
            assert after.string == before.string, key
            assert after.fuzzy == before.fuzzy, key  # a checked translation stays checked, a suggestion stays fuzzy
        else:
            assert key in obsolete, key  # removed from the template: kept as obsolete, not lost
            assert obsolete[key].string == before.string, key
            assert obsolete[key].fuzzy == before.fuzzy, key
