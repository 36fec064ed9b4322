"""Time one audio guide per shipped locale: synthesis, loudness, limiting, MP3 encoding and the check of each
step, the joined guide and its tags; from empty caches, then again with every step kept in the step cache.

Run: .venv/bin/python bench/bench_audio.py [locale...]
Prints, per locale, seconds with empty caches and with full ones, the guide's length, and the real-time factor
of the first; a locale espeak-ng has no voice for (fil) is skipped.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaflet import guide, speech  # noqa: E402
from leaflet.catalogs import Layout  # noqa: E402
from leaflet.config import load  # noqa: E402
from leaflet.localize import localize  # noqa: E402
from leaflet.reader import read  # noqa: E402
from leaflet.render import sound  # noqa: E402
from leaflet.errors import EngineError  # noqa: E402
from leaflet.render.audio import Tags, render_guide  # noqa: E402
from leaflet.render.steps import StepCache  # noqa: E402
from leaflet.speech import spoken  # noqa: E402
from leaflet.speech.cache import SpeechCache  # noqa: E402

SEED = ROOT / "assets" / "procedures" / "hip-joint-denervation.txt"


def main() -> None:
    layout = Layout(ROOT / "translations")
    config = load(ROOT / "assets" / "leaflet.toml")
    procedure = read(SEED)
    locales = sys.argv[1:] or ["en", *layout.locales()]
    engine = speech.get("espeak")
    sound.loudness(sound.silence(1.0, 22050), 22050)  # load the meter's filter before timing
    print(f"{'locale':<8} {'empty s':>8} {'cached s':>9} {'guide':>7} {'x real time':>12}")
    totals = [0.0, 0.0, 0.0]
    with tempfile.TemporaryDirectory() as cache_dir:
        for locale in locales:
            try:
                voice = engine.voice_for(locale)
            except EngineError:
                print(f"{locale:<8} {'no voice':>8}")
                continue
            doc = localize(procedure, locale, layout)
            script = guide.script(doc, spoken.load(layout.root, locale), config.clinic, config.phone)
            tags = Tags(doc.title, config.clinic, "und", "2026-01-01", "bench", script.summary)
            cache = SpeechCache(Path(cache_dir) / "speech")
            steps = StepCache(Path(cache_dir) / "steps", cache.seal)
            times = []
            for _ in range(2):
                start = time.perf_counter()
                made = render_guide(script, engine, voice, speech.DEFAULT_RATE, cache, tags, steps=steps)
                times.append(time.perf_counter() - start)
            totals = [totals[0] + times[0], totals[1] + times[1], totals[2] + made.seconds]
            print(f"{locale:<8} {times[0]:8.2f} {times[1]:9.2f} {made.seconds / 60:6.1f}m {made.seconds / times[0]:12.0f}")
    print(f"{'all':<8} {totals[0]:8.2f} {totals[1]:9.2f} {totals[2] / 60:6.1f}m {totals[2] / totals[0]:12.0f}")


if __name__ == "__main__":
    main()
