"""The worker processes' own settings, measured in a fresh interpreter."""

from __future__ import annotations

import json
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

# Step-sized arrays made and freed one after another, as a guide's steps are. After each pair is freed it prints
# what the heap holds (glibc's mallinfo2, in bytes): the free memory kept for the next pair, and all the heap has.
# Bytes follow from the arrays' sizes; page faults, which this test counted before, follow from the kernel and
# the C library too (13,417 and 18,527 in two runs of the same default mode here).
SIZES = [2_000_000, 3_000_000, 2_500_000] * 10  # float32 samples: 8-12 MB an array
_ARRAYS = textwrap.dedent(
    """
    import ctypes, json, sys
    import numpy as np
    sys.path.insert(0, sys.argv[1])
    from leaflet import batch

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                         "fsmblks", "uordblks", "fordblks", "keepcost")]

    kept = batch.keep_freed_memory()
    mallinfo2 = getattr(ctypes.CDLL(None), "mallinfo2", None)
    held = []
    if kept and mallinfo2 is not None:
        mallinfo2.restype = Mallinfo2
        for size in json.loads(sys.argv[2]):
            signal = np.ones(size, np.float32)
            louder = signal * 2
            del signal, louder
            info = mallinfo2()
            held.append([size, info.fordblks, info.arena + info.hblkhd])
    print(json.dumps({"kept": kept, "held": held}))
    """
)


def test_a_worker_keeps_the_memory_of_freed_arrays_for_the_next_ones():
    out = subprocess.run([sys.executable, "-c", _ARRAYS, str(ROOT), json.dumps(SIZES)], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    measured = json.loads(out)
    if not measured["kept"]:
        pytest.skip("no glibc here: the allocator is left as it is")
    if not measured["held"]:
        pytest.skip("glibc older than 2.33: no mallinfo2 to ask what the heap holds")
    largest_pair = 2 * max(SIZES) * 4
    for number, (size, free, heap) in enumerate(measured["held"]):
        # the pair just freed (the samples and their louder copy) stays in the heap for the next step; by
        # default glibc gave it back after every third pair here (1 MB held, then 20 MB)
        assert free >= 2 * size * 4, (number, size, free)
        # and is used again, not piled up: the heap holds the largest pair and Python's own (30 MB here), not 30 pairs
        assert heap <= largest_pair + (16 << 20), (number, heap)


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
