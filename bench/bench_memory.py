"""Memory bounded by the step, not the guide: the audio of ever larger sources, peak memory and time.

Run: .venv/bin/python bench/bench_memory.py [--sizes 30,90,300] [--jobs 1]
Each size is a generated procedure of that many kB: the seed's sections, each sentence repeated with a number
("(point 17)") so that no two are the same and every one is really spoken, spread evenly over the guide's seven
steps. Each runs the real `leaflet build SOURCE --format audio -l en` with an empty cache of its own (espeak-ng),
sampling the resident memory of the whole process tree (the build and its workers) every 50 ms. A step over
MAX_STEP_SECONDS of speech is refused as soon as its sentences pass that, so the largest source that builds has
every step just under it: the most memory a guide takes. Prints seconds, the tree's peak and what became of the
guide; writes bench/results_memory.json (keeping its "before": the same sources built by an earlier commit).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import LEAFLET, TreeMemory  # noqa: E402

SEED = ROOT / "assets" / "procedures" / "hip-joint-denervation.txt"
RESULTS = ROOT / "bench" / "results_memory.json"
HEADER_LINES = 8  # the seed's title, code, names and summary: kept once
# The seed's sections under each step of the guide (leaflet/guide.py STEPS).
STEPS = (("Purpose", "Indications"), ("Preparation",), ("Setting", "Personnel", "Duration"),
         ("Procedure Description", "Patient Experience"), ("Recovery",), ("Risks and Complications",),
         ("Benefits", "Alternatives"))


def seed_sections() -> dict[str, list[str]]:
    lines = SEED.read_text(encoding="utf-8").splitlines()[HEADER_LINES:]
    headings = {heading for step in STEPS for heading in step}
    sections: dict[str, list[str]] = {}
    for line in lines:
        if line in headings:
            current = sections.setdefault(line, [])
        else:
            current.append(line)
    return sections


def source(size: int) -> str:
    """About `size` bytes of procedure: every step's sections repeated, each sentence numbered, until each step
    has its share."""
    header = SEED.read_text(encoding="utf-8").splitlines()[:HEADER_LINES]
    sections = seed_sections()
    share = (size - sum(len(line) + 1 for line in header)) // len(STEPS)
    bodies: dict[str, list[str]] = {heading: [] for step in STEPS for heading in step}
    number = 0
    for step in STEPS:
        used = 0
        while used < share:
            for heading in step:
                for line in sections[heading]:
                    number += 1
                    text = line.rstrip(".").replace(". ", f" (point {number}). ") + f" (point {number})."
                    bodies[heading].append(text)
                    used += len(text) + 1
    out = list(header)
    for heading, body in bodies.items():
        out += [heading, *body]
    return "\n".join(out) + "\n"


def build(path: Path, jobs: int, scratch: Path) -> dict:
    env = {**os.environ, "LEAFLET_CACHE": str(scratch / "cache" / "speech")}
    args = [str(LEAFLET), "build", str(path), "--format", "audio", "-l", "en", "-o", str(scratch / "out"),
            "--translations", str(ROOT / "translations"),
            "--jobs", str(jobs)]
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=scratch, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    wrote = [line for line in stdout.splitlines() if line.startswith("wrote ")]
    failed = [line for line in stderr.splitlines() if line.startswith("leaflet: error:")]
    summary = next((line for line in stdout.splitlines() if "peak memory" in line), "")
    # what became of the guide, without the scratch folder's name: "(7 steps, 51:52, ...)" or the error
    if wrote:
        guide = wrote[0][wrote[0].index(" (") + 1 :]
    else:
        guide = failed[0].split("]: ", 1)[-1] if failed else stderr[-300:]
    return {"kb": round(path.stat().st_size / 1024), "seconds": round(seconds, 2), "tree_peak_mb": round(peak / 2**20),
            "exit": process.returncode, "guide": guide, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30,60,90,300", help="kB of each generated source")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--no-save", action="store_true", help="print only; leave bench/results_memory.json alone")
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="leaflet-bench-memory-") as scratch:
        for size in [int(size) for size in options.sizes.split(",")]:
            folder = Path(scratch) / str(size)
            folder.mkdir()
            path = folder / f"generated-{size}kb.txt"
            path.write_text(source(size * 1024), encoding="utf-8")
            row = build(path, options.jobs, folder)
            rows.append(row)
            print(f"{row['kb']:>5} kB {row['seconds']:>7.1f} s {row['tree_peak_mb']:>6} MB  {row['guide']}", flush=True)
    if not options.no_save:
        kept = json.loads(RESULTS.read_text(encoding="utf-8")).get("before") if RESULTS.exists() else None
        results = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                               "platform": platform.platform()},
                   "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "jobs": options.jobs, "runs": rows}
        if kept:  # an earlier commit's runs of the same sources, kept for comparison
            results["before"] = kept
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
