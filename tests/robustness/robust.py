"""Helpers the robustness tests share: the real command, the one-line refusal, and what a whole OUT is."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pikepdf

from conftest import LEAFLET
from leaflet.render.sound import decode_mp3


def run(*args, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command, with a bound on the time: a source that makes leaflet wait or grind fails the test."""
    return subprocess.run([str(LEAFLET), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "120"})


def refused(result: subprocess.CompletedProcess, *needles: str) -> str:
    """One clear line on stderr, exit status 1, no traceback."""
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("leaflet: error: ") and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def snapshot(root: Path) -> set[str]:
    """Every file and folder under root: a refused command must add none (no output, no catalog, no temp file)."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def id3_free(data: bytes) -> bytes:
    """The MPEG frames of an MP3 leaflet wrote: what follows its ID3v2 tag (the tag's size is syncsafe)."""
    assert data[:3] == b"ID3"
    return data[10 + sum(byte << (7 * (3 - i)) for i, byte in enumerate(data[6:10])):]


def assert_whole(out: Path, *, manifest_required: bool = True) -> dict:
    """Every file in OUT is whole: no temporary file, every PDF opens, every MP3 decodes, a guide's whole MP3 is its
    steps' frames joined (one build's, not a mix of two), and the manifest is JSON whose entries are the files as
    they are on disk. An interrupted first build may have saved no manifest yet (`manifest_required=False`)."""
    files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert not [p for p in files if p.name.endswith(".tmp")]
    for path in files:
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert len(pdf.pages) > 0, path
        elif path.suffix == ".mp3":
            assert decode_mp3(path.read_bytes())[0].size > 0, path
    for playlist in out.rglob("*.m3u8"):
        steps = [line for line in playlist.read_text("utf-8").splitlines() if line.endswith(".mp3")]
        joined = b"".join(id3_free((playlist.parent / step).read_bytes()) for step in steps)
        assert id3_free(playlist.with_suffix(".mp3").read_bytes()) == joined, playlist
    manifest = out / "manifest.json"
    if not manifest_required and not manifest.exists():
        return {}
    entries = json.loads(manifest.read_text("utf-8"))["outputs"]
    for name, entry in entries.items():
        data = (out / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"], name
    return entries
