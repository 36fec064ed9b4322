"""The golden scripts: what the English guide says, line by line, for the procedures in GOLDEN. The tests only
compare against them; after a wanted change, `make golden` (this file run as a program) writes them again, and
the diff is reviewed like code."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))  # run as a program: conftest's constants and the checkout's leaflet

from conftest import FIXTURES, ROOT, SEED  # noqa: E402
from leaflet.catalogs import Layout  # noqa: E402
from leaflet.guide import script  # noqa: E402
from leaflet.localize import localize  # noqa: E402
from leaflet.reader import read  # noqa: E402
from leaflet.speech import spoken  # noqa: E402

TRANSLATIONS = ROOT / "translations"
SHORT = FIXTURES / "audio" / "short-visit.txt"
GOLDEN = {source: FIXTURES / "audio" / f"{source.stem}.en.script" for source in (SEED, SHORT)}


def spoken_script(source: Path) -> str:
    doc = localize(read(source), "en", Layout(TRANSLATIONS))
    lines = []
    for step in script(doc, spoken.load(TRANSLATIONS, "en"), "Example Clinic", "555 0100").steps:
        for line in step.lines:
            lines.append(line.text if line.spoken == line.text else f"{line.text}\n    [said: {line.spoken}]")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    for source, golden in GOLDEN.items():
        made = spoken_script(source)
        changed = not golden.exists() or golden.read_text(encoding="utf-8") != made
        golden.write_text(made, encoding="utf-8")
        print(f"{'rewrote' if changed else 'unchanged'} {golden.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
