"""Time one leaflet per shipped locale: localize, lay out and tag (two passes for "Page X of Y"), finish with pikepdf.

Run: .venv/bin/python bench/bench_pdf.py [repeats]
Prints seconds per locale (best of the repeats), pages and size, and the total for all locales.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaflet.catalogs import Layout  # noqa: E402
from leaflet.config import load  # noqa: E402
from leaflet.localize import localize  # noqa: E402
from leaflet.reader import read  # noqa: E402
from leaflet.render.pdf import render  # noqa: E402

SEED = ROOT / "assets" / "procedures" / "hip-joint-denervation.txt"


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    layout = Layout(ROOT / "translations")
    config = load(ROOT / "assets" / "leaflet.toml")
    procedure = read(SEED)
    locales = ["en", *layout.locales()]
    total = 0.0
    print(f"{'locale':<8} {'best s':>7} {'first s':>8} {'KB':>6}")
    for locale in locales:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            data = render(localize(procedure, locale, layout), config)
            times.append(time.perf_counter() - start)
        total += min(times)
        print(f"{locale:<8} {min(times):7.2f} {times[0]:8.2f} {len(data) // 1024:6d}")
    print(f"{'all':<8} {total:7.2f}  ({len(locales)} leaflets, best of {repeats})")


if __name__ == "__main__":
    main()
