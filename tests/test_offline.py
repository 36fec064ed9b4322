"""The network guard (tests/offline): a test fails if it, or a process it starts, tries to reach another host,
even when the code under test catches the refusal; loopback still works; network tests run only when asked for."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from no_network import is_local_host

UNROUTABLE = "192.0.2.1"  # TEST-NET-1 (RFC 5737): documentation only, never a real host

HEADER = '''
import socket, subprocess, sys, threading

def connect(host, port=9):
    """What gtts does with a network error: catch it and carry on."""
    try:
        with socket.socket() as client:
            client.settimeout(1)
            client.connect((host, port))
        return "connected"
    except OSError as error:
        return type(error).__name__
'''


def inner_pytest(tmp_path: Path, body: str, *args: str) -> subprocess.CompletedProcess:
    """A pytest run of one small test file with the guard's plugin, as the suite has it."""
    (tmp_path / "test_inner.py").write_text(HEADER + textwrap.dedent(body), "utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "pytest_no_network", "-p", "no:cacheprovider",
                           "test_inner.py", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_an_attempt_the_code_catches_still_fails_the_test(tmp_path):
    result = inner_pytest(tmp_path, f'''
        def test_reaches_out():
            assert connect("{UNROUTABLE}") == "NetworkRefused"  # refused before a packet leaves, and caught
    ''')
    assert result.returncode == 1 and "1 failed" in result.stdout, result.stdout + result.stderr
    assert f"socket.connect(('{UNROUTABLE}', 9))" in result.stdout and "tried to reach the network" in result.stdout


def test_an_attempt_in_a_process_the_test_starts_fails_the_test(tmp_path):
    result = inner_pytest(tmp_path, f'''
        def test_starts_a_process_that_reaches_out():
            child = subprocess.run([sys.executable, "-c", "import socket\\ntry:\\n"
                                    "    socket.socket().connect(('{UNROUTABLE}', 9))\\n"
                                    "except OSError as error:\\n    print(type(error).__name__)"],
                                   capture_output=True, text=True)
            assert child.returncode == 0 and child.stdout.strip() == "NetworkRefused", child.stderr
    ''')
    assert result.returncode == 1 and "1 failed" in result.stdout, result.stdout + result.stderr
    assert f"socket.connect(('{UNROUTABLE}', 9)) in process" in result.stdout


@pytest.mark.parametrize("call, seen", [
    ('socket.getaddrinfo("translate.google.com", 443)', "socket.getaddrinfo('translate.google.com')"),
    ('socket.gethostbyname("translate.google.com")', "socket.gethostbyname('translate.google.com')"),
    (f'socket.create_connection(("{UNROUTABLE}", 9), timeout=1)', f"socket.getaddrinfo('{UNROUTABLE}')"),
    (f'socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("{UNROUTABLE}", 53))',
     f"socket.sendto(('{UNROUTABLE}', 53))"),
])
def test_a_lookup_or_a_datagram_is_an_attempt(tmp_path, call, seen):
    result = inner_pytest(tmp_path, f'''
        def test_reaches_out():
            try:
                {call}
            except OSError:
                pass
    ''')
    assert result.returncode == 1 and seen in result.stdout, result.stdout + result.stderr


def test_an_attempt_while_collecting_fails_the_next_test(tmp_path):
    """A module that connects when it is imported: the attempt is counted by the next look at the record, the
    first test's setup."""
    result = inner_pytest(tmp_path, f'''
        connect("{UNROUTABLE}")

        def test_after_the_import():
            pass
    ''')
    assert result.returncode == 1 and "1 error" in result.stdout, result.stdout + result.stderr
    assert f"socket.connect(('{UNROUTABLE}', 9))" in result.stdout


def test_loopback_and_unix_sockets_are_left_alone(tmp_path):
    result = inner_pytest(tmp_path, '''
        def test_talks_to_itself(tmp_path):
            for host, family in (("127.0.0.1", socket.AF_INET), ("localhost", socket.AF_INET)):
                with socket.create_server(("127.0.0.1", 0)) as server:
                    threading.Thread(target=lambda: server.accept()[0].sendall(b"hi"), daemon=True).start()
                    with socket.create_connection((host, server.getsockname()[1]), timeout=5) as client:
                        assert client.recv(2) == b"hi"
            with socket.socket(socket.AF_UNIX) as server:
                server.bind(str(tmp_path / "s"))
                server.listen()
                socket.socket(socket.AF_UNIX).connect(str(tmp_path / "s"))
    ''')
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout + result.stderr


def test_network_tests_run_only_when_asked_for(tmp_path):
    body = '''
        import os, pytest

        @pytest.mark.network
        def test_needs_google():
            assert os.environ["LEAFLET_TEST_NETWORK"] == "allowed"  # the guard lets it through

        def test_offline():
            assert "LEAFLET_TEST_NETWORK" not in os.environ
    '''
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    network: needs the internet\n", "utf-8")
    default = inner_pytest(tmp_path, body)
    assert default.returncode == 0 and "1 passed, 1 deselected" in default.stdout, default.stdout
    narrowed = inner_pytest(tmp_path, body, "-m", "not slow")  # another -m replaces the default: still left out
    assert narrowed.returncode == 0 and "1 passed, 1 deselected" in narrowed.stdout, narrowed.stdout
    asked = inner_pytest(tmp_path, body, "-m", "network")
    assert asked.returncode == 0 and "1 passed, 1 deselected" in asked.stdout, asked.stdout


@pytest.mark.parametrize("host, local", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("::ffff:127.0.0.1", True), ("localhost", True),
    ("LOCALHOST.", True), (None, True), (b"127.0.0.1", True), ("[::1]", True),
    (UNROUTABLE, False), ("0.0.0.0", False), ("10.0.0.1", False), ("::ffff:192.0.2.1", False), ("example.com", False),
    ("localhost.example.com", False), ("", False),
])
def test_what_counts_as_this_machine(host, local):
    assert is_local_host(host) is local


def test_the_guard_is_in_every_process_the_tests_start():
    """The leaflet command and its workers are Python processes started with this environment."""
    folder = str(Path(__file__).resolve().parent / "offline")
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0] == folder
    check = "import sys, no_network; print(no_network._installed, 'sitecustomize' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]
