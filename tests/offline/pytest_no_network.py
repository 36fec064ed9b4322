"""The pytest side of the network guard: tests marked `network` run only when asked for (`pytest -m network`), and
every other test fails if it, or any process it started, tried to reach another host."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest

import no_network

FOLDER = Path(__file__).resolve().parent
_looked = 0  # how much of this run's record has been read


def pytest_configure(config):
    """A record of its own for this run (a pytest run inside a test keeps its attempts to itself), and the guard
    loaded in every Python process started from here on."""
    global _looked
    handle, name = tempfile.mkstemp(prefix="leaflet-network-", suffix=".log")
    _looked = 0
    os.close(handle)
    config._network_saved = {key: os.environ.get(key) for key in (no_network.RECORD, "PYTHONPATH")}
    os.environ[no_network.RECORD] = name
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FOLDER), os.environ.get("PYTHONPATH")]))
    no_network.install()


def pytest_unconfigure(config):
    saved = getattr(config, "_network_saved", None)
    if saved is None:
        return
    Path(os.environ[no_network.RECORD]).unlink(missing_ok=True)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def pytest_collection_modifyitems(config, items):
    """Deselect the network tests unless the marker expression names them: `-m "not slow"` must not send a
    patient's text to Google because it replaced the default."""
    if "network" in (config.option.markexpr or ""):
        return
    kept = [item for item in items if item.get_closest_marker("network") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("network")])
        items[:] = kept


def _attempts_since_last_look() -> list[str]:
    """The record's lines not seen yet: each attempt is counted once, by the phase (or the session) that made it,
    and one made between tests (while collecting, or by a thread a test left running) by the next look."""
    global _looked
    with open(os.environ[no_network.RECORD], "rb") as handle:
        handle.seek(_looked)
        data = handle.read()
    _looked += len(data)
    return data.decode("utf-8", "replace").splitlines()


@contextlib.contextmanager
def _guarded(item):
    network = item.get_closest_marker("network") is not None
    if network:
        os.environ[no_network.ALLOWED] = "allowed"
    try:
        yield
    finally:
        if network:
            os.environ.pop(no_network.ALLOWED, None)
        attempts = _attempts_since_last_look()
        if attempts:
            pytest.fail("tried to reach the network (mark the test `network` if it must, or give it a fake "
                        "transport):\n" + "\n".join(attempts[:10]), pytrace=False)


def pytest_sessionfinish(session, exitstatus):
    """An attempt after the last test (a thread, an atexit) still fails the run."""
    attempts = _attempts_since_last_look() if no_network.RECORD in os.environ else []
    if attempts:
        session.config.get_terminal_writer().line("tried to reach the network after the last test:\n" +
                                                  "\n".join(attempts[:10]), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _guarded(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _guarded(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _guarded(item):
        return (yield)
