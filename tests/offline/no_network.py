"""The tests' network guard: an audit hook that refuses any socket reaching past this machine and records it.

Loaded in the pytest process by conftest and in every Python process the tests start through the sitecustomize
beside it (conftest puts this folder on PYTHONPATH). Loopback (127.0.0.0/8, ::1), Unix sockets and the kernel's
own (netlink) are allowed; a connect, sendto or sendmsg to any other address, and a name lookup of anything but
localhost, raise PermissionError before anything leaves. The attempt is also written to the file that
LEAFLET_TEST_NETWORK_RECORD names, because code under test may catch the error (gtts retries it, for one): the
pytest plugin fails the test from the record, whatever the code did with the exception.

It watches what Python's socket module does; a C library that opens sockets itself is not seen.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

RECORD = "LEAFLET_TEST_NETWORK_RECORD"
ALLOWED = "LEAFLET_TEST_NETWORK"  # "allowed" while a test marked `network` runs
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_INTERNET = (socket.AF_INET, socket.AF_INET6)
_installed = False


class NetworkRefused(PermissionError):
    """A socket or lookup that would reach another host, refused by the tests' guard."""


def is_local_host(host) -> bool:
    """True for a loopback address or localhost; a name is never resolved here (that would be a lookup)."""
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("ascii", "replace")
    host = str(host).split("%", 1)[0].strip("[]").rstrip(".").lower()
    if host in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def _reaches_out(event: str, args: tuple) -> bool:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[1]
        if address is None or getattr(sock, "family", None) not in _INTERNET:
            return False  # a connected socket's own peer (checked at connect), AF_UNIX, netlink
        return not is_local_host(address[0] if isinstance(address, tuple) else address)
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        return not is_local_host(args[0])
    if event == "socket.getnameinfo":
        return not is_local_host(args[0][0])
    return False


def _hook(event: str, args: tuple) -> None:
    if not event.startswith("socket.") or not _reaches_out(event, args):
        return
    if os.environ.get(ALLOWED) == "allowed":
        return
    shown = ", ".join(repr(arg) for arg in args if not isinstance(arg, socket.socket)) if \
        event != "socket.getaddrinfo" else repr(args[0])  # its port, family and type say nothing more
    line = f"{event}({shown}) in process {os.getpid()} ({' '.join(sys.argv)[:200]})"
    record = os.environ.get(RECORD)
    if record:
        # os.open, not open(): no buffering, and one write per line so processes do not interleave
        fd = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line.replace("\n", " ") + "\n").encode("utf-8", "replace"))
        finally:
            os.close(fd)
    raise NetworkRefused(f"the tests' network guard refused {line}")


def install() -> None:
    """Add the audit hook once per process (a hook cannot be removed; ALLOWED turns it off for network tests)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
