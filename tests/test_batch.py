"""The worker processes' own settings, measured in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

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
