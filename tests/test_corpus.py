"""The reader against a corpus of clinic documents, each with an answer key (tests/corpus).

The documents are written as clinics write them (.txt, .md, and .docx built by tests/corpus/make_docx.py);
each key says what a careful person understands of its document. See tests/corpus/score.py for the key
format and the scores. Run with -s to see the table and every misreading:

    .venv/bin/python -m pytest -q tests/test_corpus.py -s
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from leaflet.model import Block, Field, Procedure, Section

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCS = CORPUS / "docs"
KEYS = CORPUS / "keys"
THRESHOLD = 0.95  # the total section score and the total block score the reader must reach


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


score = _load("corpus_score", CORPUS / "score.py")
make_docx = _load("corpus_make_docx", CORPUS / "make_docx.py")


def key_for(document: Path) -> Path:
    return KEYS / f"{document.name}.key"


def written_documents() -> list[Path]:
    return sorted(p for p in DOCS.iterdir() if p.suffix in (".txt", ".md"))


@pytest.fixture(scope="session")
def corpus_documents(tmp_path_factory) -> list[Path]:
    """The hand-written documents and the Word documents, built into a temporary folder."""
    built = make_docx.build_all(tmp_path_factory.mktemp("corpus-docx"))
    return written_documents() + sorted(built)


def test_every_document_has_a_key_and_every_key_a_document():
    documents = {p.name for p in written_documents()} | set(make_docx.NAMES)
    keys = {p.name.removesuffix(".key") for p in KEYS.glob("*.key")}
    assert sorted(documents - keys) == [], "documents without a key"
    assert sorted(keys - documents) == [], "keys without a document"
    suffixes = [Path(name).suffix for name in documents]
    assert len(documents) >= 32
    assert suffixes.count(".txt") >= 12 and suffixes.count(".md") >= 9 and suffixes.count(".docx") >= 9
    assert sorted(p.name for p in DOCS.iterdir() if p.suffix not in (".txt", ".md")) == []


def test_keys_quote_their_documents(corpus_documents):
    """Every field, heading and block of a key is found, in order, in its document's words: a key's typo
    would otherwise read as the reader's mistake. (This checks the keys, not the reader.)"""
    problems = []
    for document in corpus_documents:
        key = score.read_key(key_for(document))
        problems += [f"{document.name}: {p}" for p in score.check_key(score.document_text(document), key)]
    assert problems == []


# --- the scorer on a tiny document of its own ---------------------------------------------------------

SELF_KEY = """
# a tiny key for the scorer's own test
title: Tooth extraction
code: D7140
name:
common_names:
medical_terms:

== summary ==
p | Having a tooth | few days.

== recovery == Aftercare
i | Bite on the | 30 minutes.
i | Do not rinse | 24 hours.
p | Some swelling is | is normal.
"""


def _procedure(summary: list[str], aftercare: list[Block], extra: tuple[Section, ...] = (),
               aftercare_key: str = "recovery") -> Procedure:
    return Procedure(
        domain="self-test", source="self-test.txt", title=Field("Tooth extraction", 1), code="D7140",
        sections=(
            Section("summary", "", 3, tuple(Block("paragraph", text, 3) for text in summary)),
            Section(aftercare_key, "Aftercare:", 5, tuple(aftercare)),
            *extra,
        ),
    )


def test_scorer_counts_a_merged_block_wrong_and_a_sentence_split_paragraph_right():
    key = score.parse_key(SELF_KEY, "self-test.key")
    items = [Block("item", "Bite on the gauze for 30 minutes.", 6), Block("item", "Do not rinse for 24 hours.", 7),
             Block("paragraph", "Some swelling is normal.", 8)]
    whole = ["Having a tooth out is common. Most people heal in a few days."]
    perfect = score.score_procedure(_procedure(whole, items), key, "self-test.txt")
    assert (perfect.fields_right, perfect.sections_right, perfect.sections_total) == (5, 2, 2)
    assert (perfect.blocks_right, perfect.blocks_total) == (4, 4), perfect.misreadings

    # a paragraph read as its sentences, one paragraph each: right
    split = score.score_procedure(
        _procedure(["Having a tooth out is common.", "Most people heal in a few days."], items), key, "t")
    assert (split.blocks_right, split.blocks_total) == (4, 4), split.misreadings

    # a paragraph cut in the middle of a sentence: wrong, and both pieces count against it
    cut = score.score_procedure(
        _procedure(["Having a tooth out is", "common. Most people heal in a few days."], items), key, "t")
    assert (cut.blocks_right, cut.blocks_total) == (3, 6), cut.misreadings

    # two items read as one: both expected items wrong, the merged block unmatched
    merged = [Block("item", "Bite on the gauze for 30 minutes. Do not rinse for 24 hours.", 6), items[2]]
    result = score.score_procedure(_procedure(whole, merged), key, "t")
    assert (result.blocks_right, result.blocks_total) == (2, 5), result.misreadings
    assert any("block 1 of 'Aftercare'" in m and "merged" in m for m in result.misreadings), result.misreadings

    # a footer read as a heading: an extra section, wrong; a wrong key; Markdown marks left in an item
    footer = Section("other", "Page 1 of 2", 9, (Block("paragraph", "Rev. 02/2025", 9),))
    marked = [Block("item", "**Bite** on the gauze for 30 minutes.", 6), *items[1:]]
    bad = score.score_procedure(_procedure(whole, marked, (footer,)), key, "t")
    assert (bad.sections_right, bad.sections_total) == (2, 3)
    assert (bad.blocks_right, bad.blocks_total) == (3, 6)
    assert any("extra section 'Page 1 of 2'" in m for m in bad.misreadings)
    wrong_key = score.score_procedure(_procedure(whole, items, aftercare_key="other"), key, "t")
    assert (wrong_key.sections_right, wrong_key.blocks_right) == (1, 4)
    assert "t: section 'Aftercare' read as other, expected recovery" in wrong_key.misreadings


# --- the corpus ---------------------------------------------------------------------------------------


def test_reader_reads_the_corpus(corpus_documents):
    results = [score.score(document, key_for(document)) for document in corpus_documents]
    total = score.Result("TOTAL", fields_total=0)
    for result in results:
        total.add(result)

    def row(r) -> str:
        return (f"{r.name:<32} {r.fields_right:>3}/{r.fields_total:<4} {r.sections_right:>4}/{r.sections_total:<4}"
                f" {r.blocks_right:>5}/{r.blocks_total:<5}" + ("  not read" if r.error else ""))

    print()
    print(f"{'file':<32} {'fields':>8} {'sections':>9} {'blocks':>11}")
    for result in results:
        print(row(result))
    print(row(total))
    print(f"fields {total.field_score:.3f}  sections {total.section_score:.3f}  blocks {total.block_score:.3f}")
    print("\nmisreadings:")
    for result in results:
        for line in result.misreadings:
            print(" ", line)

    assert total.section_score >= THRESHOLD, f"section score {total.section_score:.3f} < {THRESHOLD}"
    assert total.block_score >= THRESHOLD, f"block score {total.block_score:.3f} < {THRESHOLD}"
