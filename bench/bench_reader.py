"""Time reader.read on the seed, on typical clinic documents of each format (.txt, .md, .docx from the test corpus;
targets: under 0.1 s for text and Markdown, 0.3 s for Word) and on 2 MB inputs: one line, many sections, a million
short lines, a long header.

Run: .venv/bin/python bench/bench_reader.py [repeats]
A refused file (SourceError) is timed too: answering quickly with a refusal is a fine outcome.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaflet import reader  # noqa: E402
from leaflet.errors import SourceError  # noqa: E402

SEED = ROOT / "assets" / "procedures" / "hip-joint-denervation.txt"
CORPUS = ROOT / "tests" / "corpus"
# The largest documents of each format in the corpus: a bowel-prep sheet exported from a PDF, a clinic web page, and
# a Word leaflet with heading styles, numbering and a table (built by the corpus's script).
TYPICAL = ("colonoscopy-prep.txt", "knee-scope.md", "upper-endoscopy.docx")
TARGETS = {".txt": 0.1, ".md": 0.1, ".docx": 0.3}
TWO_MB = 2 * 1024 * 1024


def single_line() -> bytes:
    """One 2 MB line: a heading with an inline value, so the reader has to parse it, not just refuse it."""
    return (b"Summary: " + b"the needle is placed near the nerve " * (TWO_MB // 36 + 1))[:TWO_MB]


def many_lines() -> bytes:
    """About 2 MB of the seed's body repeated: many sections, lists and paragraphs."""
    seed = SEED.read_bytes()
    body = seed[seed.index(b"Summary"):].rstrip() + b"\n"
    return (seed.rstrip() + b"\n" + body * (TWO_MB // len(body) + 1))[: TWO_MB]


def short_lines() -> bytes:
    """A million two-byte lines under one heading: the most lines 2 MB can hold, the reader's worst case."""
    return b"Summary\n" + b"x\n" * ((TWO_MB - 8) // 2)


def long_header() -> bytes:
    """A "Common names:" value wrapped over 2 MB of lines before the first section (was quadratic)."""
    return b"Title\nCommon names:\n" + b"abc\n" * ((TWO_MB - 40) // 4) + b"Summary\nx\n"


def timed(path: Path, repeats: int) -> tuple[float, str]:
    best = float("inf")
    outcome = ""
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            p = reader.read(path)
            outcome = f"{len(p.sections)} sections, {sum(len(s.blocks) for s in p.sections)} blocks"
        except SourceError as exc:
            outcome = f"refused: {exc.message}"
        best = min(best, time.perf_counter() - start)
    return best, outcome


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        cases = {"seed": SEED}
        spec = importlib.util.spec_from_file_location("corpus_make_docx", CORPUS / "make_docx.py")
        make_docx = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = make_docx
        spec.loader.exec_module(make_docx)
        built = {p.name: p for p in make_docx.build_all(Path(tmp))}
        for name in TYPICAL:
            cases[name] = built.get(name, CORPUS / "docs" / name)
        makers = (
            ("2 MB single line", single_line),
            ("2 MB many lines", many_lines),
            ("2 MB short lines", short_lines),
            ("2 MB header", long_header),
        )
        for name, make in makers:
            path = Path(tmp) / f"{name.replace(' ', '-')}.txt"
            path.write_bytes(make())
            cases[name] = path
        for name, path in cases.items():
            seconds, outcome = timed(path, repeats)
            target = TARGETS.get(path.suffix) if name in TYPICAL else None
            verdict = f"  target {target} s: {'met' if seconds < target else 'MISSED'}" if target else ""
            print(f"{name:22} {path.stat().st_size:>9} bytes  {seconds:8.4f} s  ({outcome}){verdict}")


if __name__ == "__main__":
    main()
