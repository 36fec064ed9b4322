"""The worker processes' own settings, measured in a fresh interpreter."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, LEAFLET, ROOT
from leaflet.batch import default_jobs

# Step-sized arrays made and freed one after another, as a guide's steps are; prints the page faults they took.
_ARRAYS = textwrap.dedent(
    """
    import resource, sys
    import numpy as np
    sys.path.insert(0, sys.argv[1])
    from leaflet import batch
    kept = batch.keep_freed_memory() if sys.argv[2] == "keep" else None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for size in [2_000_000, 3_000_000, 2_500_000] * 10:
        signal = np.ones(size, np.float32)
        louder = signal * 2
        del signal, louder
    print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    """
)


def _faults(mode: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", _ARRAYS, str(ROOT), mode], capture_output=True, text=True,
                         check=True, timeout=60).stdout.split()
    return out[0], int(out[1])


def test_a_worker_keeps_the_memory_of_freed_arrays_for_the_next_ones():
    kept, faults_kept = _faults("keep")
    if kept != "True":
        pytest.skip("no glibc here: the allocator is left as it is")
    _, faults = _faults("default")
    # 30 arrays of 8-12 MB and their copies: glibc maps each from the kernel and faults in every page (some
    # 18,000 faults here); kept in the heap, the pages of the first serve the next (about 1,700)
    assert faults > 10_000
    assert faults_kept * 4 < faults


def _peak_kb(pid: int) -> int:
    try:
        return next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return 0


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_jobs_are_capped_at_the_cores_and_the_peak_adds_up_the_workers(tmp_path):
    """--jobs 1000 on three outputs starts no more workers than cores (nor than outputs), and the summary's peak
    is at least every worker's peak added up, as read from the process table while they ran."""
    (tmp_path / "procedures").mkdir()
    for number in range(3):
        shutil.copy(FIXTURES / "audio" / "short-visit.txt", tmp_path / "procedures" / f"visit-{number}.txt")
    process = subprocess.Popen([str(LEAFLET), "build", "procedures", "-l", "en", "--format", "pdf", "--jobs", "1000"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "LEAFLET_CACHE": str(tmp_path / "cache")})
    peaks: dict[int, int] = {}  # worker pid -> its peak (kB) as last seen
    command = b""
    while process.poll() is None:
        try:
            pids = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        except OSError:
            break
        command = command or _command(process.pid)
        for pid in map(int, pids):
            if _command(pid) == command:  # a forked worker, not a helper program a library ran
                peaks[pid] = max(peaks.get(pid, 0), _peak_kb(pid))
        time.sleep(0.005)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    workers = min(default_jobs(), 3)
    assert 1 <= len(peaks) <= workers
    line = next(line for line in stdout.splitlines() if "peak memory" in line)
    match = re.search(r" with (\d+) jobs; peak memory (\d+) MB \(the build and its workers", line)
    assert match and int(match.group(1)) == workers, line
    assert int(match.group(2)) >= sum(peaks.values()) // 1024 - 1, (line, peaks)
