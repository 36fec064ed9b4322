"""A guide's memory is bounded by its longest step, not by its length; a step too long to follow is refused in
one line, as soon as its sentences pass the limit, which bounds any guide's memory (bench/bench_memory.py).

Each build is the real command with a speech cache of its own, so that every sentence is really spoken.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
from pathlib import Path

from conftest import LEAFLET, SEED, run_leaflet
from leaflet.render.audio import MAX_SENTENCE_CHARACTERS, MAX_STEP_SECONDS

HEADER_LINES = 8  # the seed's title, code, names and summary
# Copies of the seed's sections that make a step of some 4.5 minutes: "during", "after" and "risks" (one after
# another, as in the longer guide: a long step is made ready while the next is spoken) ...
THREE_LONG = {"Procedure Description": 3, "Patient Experience": 3, "Recovery": 7, "Risks and Complications": 9}
# ... and "introduction", "before", "arriving" and "options"
FOUR_MORE = {"Purpose": 5, "Indications": 5, "Preparation": 9, "Setting": 8, "Personnel": 8, "Duration": 8,
             "Benefits": 4, "Alternatives": 4}


def _procedure(copies: dict[str, int]) -> str:
    """The seed with each section's lines said `copies[heading]` times (once where not named), every sentence
    numbered so that none is the same as another."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    out, number, heading = lines[:HEADER_LINES], 0, None
    sections: dict[str, list[str]] = {}
    for line in lines[HEADER_LINES:]:
        if line and not line.startswith("- ") and not line.endswith(".") and len(line) < 40:
            heading = line
            sections[heading] = []
        else:
            sections[heading].append(line)
    for heading, body in sections.items():
        out.append(heading)
        for _ in range(copies.get(heading, 1)):
            for line in body:
                number += 1
                out.append(line.rstrip(".").replace(". ", f" (point {number}). ") + f" (point {number}).")
    return "\n".join(out) + "\n"


def _build(tmp_path: Path, name: str, text: str, monkeypatch):
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("LEAFLET_CACHE", str(folder / "cache" / "speech"))  # its own: every sentence is spoken
    return run_leaflet("build", f"{name}.txt", "--format", "audio", "-l", "en", "--jobs", "1", cwd=folder)


def _peak_mb(stdout: str) -> int:
    return int(re.search(r"peak memory (\d+) MB", stdout).group(1))


def _minutes(stdout: str) -> float:
    minutes, seconds = re.search(r"steps, (\d+):(\d\d),", stdout).groups()
    return int(minutes) + int(seconds) / 60


def test_the_peak_is_the_same_for_a_guide_twice_as_long_with_steps_as_long(tmp_path, monkeypatch):
    three = _build(tmp_path, "three-long-steps", _procedure(THREE_LONG), monkeypatch)
    seven = _build(tmp_path, "seven-long-steps", _procedure({**THREE_LONG, **FOUR_MORE}), monkeypatch)
    assert three.returncode == 0 and seven.returncode == 0, three.stderr + seven.stderr
    assert _minutes(seven.stdout) > 1.8 * _minutes(three.stdout), (three.stdout, seven.stdout)
    # measured here (the build and its worker): 264-269 MB and 260-268 MB; before, when a guide's steps were
    # all spoken before any was made ready, 418 and 477 MB
    assert _peak_mb(seven.stdout) <= _peak_mb(three.stdout) + 25, (three.stdout, seven.stdout)


def test_a_step_too_long_to_follow_is_refused_in_one_line_naming_its_sections(tmp_path, monkeypatch):
    # the seed's "during" step, 80 times over: some 80 minutes of speech in one step
    result = _build(tmp_path, "endless", _procedure({"Procedure Description": 80, "Patient Experience": 80}),
                    monkeypatch)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("leaflet: error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "endless.txt [en]" in errors[0] and f"over {MAX_STEP_SECONDS // 60} minutes of speech" in errors[0]
    assert '"Procedure Description" (line ' in errors[0] and '"Patient Experience" (line ' in errors[0]
    assert not (tmp_path / "endless" / "out" / "endless" / "en" / "audio").exists()


def test_a_sentence_too_long_to_say_in_one_go_is_refused_before_it_is_spoken(tmp_path, monkeypatch):
    # 300 kB with no full stop would be hours of speech from one call of the engine
    endless = ", ".join(["the needle is placed near the nerve"] * 8000)
    text = SEED.read_text(encoding="utf-8").replace("Preparation\n", f"Preparation\n- {endless}\n")
    result = _build(tmp_path, "run-on", text, monkeypatch)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("leaflet: error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "run-on.txt [en]" in errors[0] and f"(at most {MAX_SENTENCE_CHARACTERS})" in errors[0], errors[0]
    assert '("the needle is placed near the nerve, the ...")' in errors[0]
    assert '"Preparation" (line ' in errors[0]


def test_running_out_of_memory_is_one_line_not_a_bug(tmp_path):
    # steps of some 14 minutes (75 MB of samples each), under a limit on the address space the first one does not
    # fit in (here the line is the same for any limit from 250 to 500 MB)
    (tmp_path / "long.txt").write_text(_procedure(dict.fromkeys(THREE_LONG, 10)), encoding="utf-8")

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (350 * 2**20, 350 * 2**20))

    result = subprocess.run([str(LEAFLET), "build", "long.txt", "--format", "audio", "-l", "en", "--jobs", "1"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120, preexec_fn=limited,
                            env={**os.environ, "LEAFLET_CACHE": str(tmp_path / "cache"), "OPENBLAS_NUM_THREADS": "1"})
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("leaflet: error:")]
    assert errors == ["leaflet: error: long.txt [en]: the system ran out of memory while making it (build it with"
                      " fewer --jobs, or where more memory is free)"], result.stderr
    assert "Traceback" not in result.stderr and "a bug in leaflet" not in result.stdout
