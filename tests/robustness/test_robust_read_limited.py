"""fsutil.read_limited, the one way leaflet reads a file it did not make in this run: a regular file under a named
size limit, never a pipe (which would wait for ever), a device (which never ends) or, where asked, a link."""

from __future__ import annotations

import os

import pytest

from leaflet.errors import CatalogError, LeafletError
from leaflet.fsutil import read_limited


def test_a_regular_file_under_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "entry"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100, "cache entry") == b"x" * 100


def test_a_file_over_the_limit_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "messages.po"
    path.write_bytes(b"x" * (2 * 2**20 + 1))
    with pytest.raises(CatalogError) as caught:
        read_limited(path, 2 * 2**20, "catalog", CatalogError)
    assert str(caught.value) == f"{path}: the catalog is over 2 MB, the most leaflet reads for one"


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "manifest.json"
    os.mkfifo(fifo)
    with pytest.raises(LeafletError, match="not a regular file"):
        read_limited(fifo, 1000, "manifest")


def test_a_device_and_a_folder_are_refused(tmp_path):
    with pytest.raises(LeafletError, match="not a regular file"):
        read_limited("/dev/zero", 1000, "template copy")
    with pytest.raises(LeafletError, match="is a folder"):
        read_limited(tmp_path, 1000, "template copy")


def test_a_link_is_followed_only_where_allowed(tmp_path):
    target = tmp_path / "target"
    target.write_bytes(b"data")
    link = tmp_path / "link"
    link.symlink_to(target)
    assert read_limited(link, 10, "source") == b"data"
    with pytest.raises(LeafletError, match="symbolic link"):
        read_limited(link, 10, "cache entry", follow=False)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(LeafletError, match="no such logo"):
        read_limited(tmp_path / "logo.png", 10, "logo")
