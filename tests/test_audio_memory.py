"""A step too long to follow is refused in one line, as soon as its sentences pass the limit: it also bounds a
guide's memory, which is made a step at a time (bench/bench_memory.py measures it).

Each build is the real command with a speech cache of its own, so that every sentence is really spoken.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SEED, run_leaflet
from leaflet.render.audio import MAX_STEP_SECONDS

HEADER_LINES = 8  # the seed's title, code, names and summary


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
