"""Bad procedure sources through the real command: one line naming the file (and line), exit 1, nothing written;
in a batch, the readable procedures are built and the unreadable one is named."""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES
from leaflet import reader
from leaflet.build import build
from leaflet.catalogs import Layout
from leaflet.config import load
from leaflet.errors import SourceError
from robust import refused, run, snapshot

SHORT = FIXTURES / "audio" / "short-visit.txt"
CONFIG = '[clinic]\nname = "Riverside Clinic"\nphone = "555 0199"\n'  # no example-clinic warning on stderr
TWO_MB = 2 * 1024 * 1024


@pytest.fixture
def clinic(tmp_path, monkeypatch):
    (tmp_path / "leaflet.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def all_commands_refuse(cwd: Path, source: str, *needles: str) -> None:
    """inspect, extract and build --format pdf each refuse in one line, and leave the folder as it was."""
    before = snapshot(cwd)
    for command in (["inspect", source], ["extract", source], ["build", source, "--format", "pdf", "-l", "en"]):
        refused(run(*command, cwd=cwd), source, *needles)
    assert snapshot(cwd) == before


def damaged_utf8() -> bytes:
    """The short procedure in UTF-8 with accents, one byte on line 13 damaged."""
    text = SHORT.read_bytes().replace(b"knee. It", "kn\u00e9e. It".encode()).replace(b"Done in", b"Do\xffne in")
    assert text.decode("utf-8", errors="replace").count("\ufffd") == 1
    return text


BAD_SOURCES = {
    "empty": (b"", ["the file is empty"]),
    "white-space-only": (b"  \n\t\n \r\n" + "\u3000\u00a0\n".encode(), ["empty"]),
    "png-image": ((Path(__file__).resolve().parents[2] / "assets" / "logo.png").read_bytes()[:4000], ["not a text file"]),
    "random-bytes": (random.Random(7).randbytes(3000), ["not a text file"]),
    "control-character": (b"Summary\nA short visit.\nIt takes \x01 ten minutes.\n", [":3:", "control character"]),
    "no-sections": (b"Just a title\nSome prose here, and no heading at all.\nMore prose.\n", ["no recognisable section"]),
    # one accented letter and one damaged byte: reading Windows-1252 would garble the accented letter
    "damaged-utf8": (damaged_utf8(), [":13:", "not valid UTF-8"]),
    # many accented letters, then one Windows-1252 byte pasted into the middle
    "utf8-with-a-latin1-byte": (
        ("Summary\n" + "Le caf\u00e9 est pr\u00eat, \u00e9vitez de manger.\n" * 20).encode() + b"Risques: douleur \xe9 ici.\n"
        + ("Recovery\nRetour \u00e0 la maison.\n").encode(), [":22:", "not valid UTF-8"]),
    # a 2 MB "word": gettext's wrapping and the PDF's line breaking both grow with its square (extract hung)
    "two-mb-word": (b"Summary\n" + b"a" * TWO_MB + b"\n", [":2:", "without a space"]),
}


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_a_bad_source_is_refused_in_one_line_by_every_command(clinic, case):
    data, needles = BAD_SOURCES[case]
    (clinic / f"{case}.txt").write_bytes(data)
    all_commands_refuse(clinic, f"{case}.txt", *needles)


def test_a_missing_path_is_refused(clinic):
    all_commands_refuse(clinic, "nowhere.txt", "no such file")


def test_a_folder_without_procedures_is_refused(clinic):
    (clinic / "notes").mkdir()
    (clinic / "notes" / "readme.md").write_text("hello", encoding="utf-8")
    for command in (["extract", "notes"], ["build", "notes", "--format", "pdf"]):
        refused(run(*command, cwd=clinic), "notes", "no procedure files")
    refused(run("inspect", "notes", cwd=clinic), "notes", "a folder")
    assert not (clinic / "out").exists() and not (clinic / "translations").exists()


def test_a_folder_where_a_procedure_file_is_expected_is_refused(clinic):
    # as root, chmod 000 does not stop reading: a folder named like a procedure is a path that cannot be read
    (clinic / "visit.txt").mkdir()
    refused(run("inspect", "visit.txt", cwd=clinic), "visit.txt", "a folder")
    refused(run("extract", "visit.txt", cwd=clinic), "visit.txt", "no procedure files")
    assert snapshot(clinic) == {"leaflet.toml", "visit.txt"}


def test_a_pipe_is_refused_at_once_not_waited_on(clinic):
    # opening a FIFO waits for a writer for ever: `leaflet inspect` hung here
    os.mkfifo(clinic / "visit.txt")
    all_commands_refuse(clinic, "visit.txt", "not a regular file")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(clinic):
    # /proc/self/mem opens, and reading it fails (EIO): a real unreadable file even for root
    before = snapshot(clinic)
    for command in (["inspect"], ["extract"], ["build", "--format", "pdf"]):
        refused(run(command[0], "/proc/self/mem", *command[1:], cwd=clinic), "/proc/self/mem", "the file cannot be read")
    assert snapshot(clinic) == before


def test_a_device_is_refused_not_read_for_ever(clinic):
    refused(run("inspect", "/dev/zero", cwd=clinic, timeout=30), "/dev/zero", "not a regular file")


def test_a_huge_file_is_refused_before_it_is_read_into_memory(clinic):
    with open(clinic / "huge.txt", "wb") as file:
        file.truncate(17 * 2**20)  # sparse: no time or disk spent
    all_commands_refuse(clinic, "huge.txt", "over 16 MB")


def test_a_two_megabyte_single_line_of_words_is_read(clinic):
    (clinic / "long.txt").write_bytes((b"Summary: " + b"the needle is placed near the nerve " * (TWO_MB // 36 + 1))[:TWO_MB])
    result = run("inspect", "long.txt", "--json", cwd=clinic)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [s["key"] for s in document["sections"]] == ["summary"]
    assert len(document["sections"][0]["blocks"][0]["text"]) > TWO_MB - 100
    assert run("extract", "long.txt", cwd=clinic).returncode == 0
    assert (clinic / "translations" / "long.pot").stat().st_size > TWO_MB


# --- a batch: the readable procedures are built, the unreadable one is named -------------------------------


@pytest.fixture
def batch(clinic):
    (clinic / "procedures").mkdir()
    for name in ("a-visit", "c-visit"):
        shutil.copy(SHORT, clinic / "procedures" / f"{name}.txt")
    return clinic


def test_one_unreadable_procedure_does_not_stop_the_others(batch):
    (batch / "procedures" / "b-visit.txt").write_bytes(b"")
    result = run("build", "procedures", "--format", "pdf", cwd=batch)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # the others are built, each pointed out for its missing warning section; the empty one is the one error
    assert [line for line in result.stderr.splitlines() if not line.startswith("leaflet: warning: ")] == [
        "leaflet: error: procedures/b-visit.txt: the file is empty"]
    assert "not read: procedures/b-visit.txt: the file is empty" in result.stdout
    out = batch / "out"
    for name in ("a-visit", "c-visit"):
        with pikepdf.open(out / name / "en" / f"{name}.pdf") as pdf:
            assert len(pdf.pages) >= 1
    assert not (out / "b-visit").exists()
    recorded = json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]
    assert sorted(recorded) == ["a-visit/en/a-visit.pdf", "c-visit/en/c-visit.pdf"]


def test_a_procedure_broken_since_the_last_build_is_named_and_its_old_leaflet_flagged(batch):
    shutil.copy(SHORT, batch / "procedures" / "b-visit.txt")
    assert run("build", "procedures", "--format", "pdf", cwd=batch).returncode == 0
    (batch / "procedures" / "b-visit.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run("build", "procedures", "--format", "pdf", cwd=batch)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert [line for line in lines if line.startswith("leaflet: error: ")] == [
        "leaflet: error: procedures/b-visit.txt: this is not a text file (a NUL byte at byte 8)"]
    assert any("b-visit" in line and "earlier build" in line for line in lines if line.startswith("leaflet: warning: "))


def test_a_batch_with_no_readable_procedure_is_refused_and_writes_nothing(clinic):
    (clinic / "procedures").mkdir()
    (clinic / "procedures" / "a.txt").write_bytes(b"")
    (clinic / "procedures" / "b.txt").write_bytes(b"no sections here\n")
    before = snapshot(clinic)
    refused(run("build", "procedures", "--format", "pdf", cwd=clinic), "procedures/a.txt", "empty")
    assert snapshot(clinic) == before


def test_the_library_stops_at_an_unreadable_source_unless_asked_to_keep_going(batch):
    (batch / "procedures" / "b-visit.txt").write_bytes(b"")
    common = dict(layout=Layout(batch / "translations"), config=load(), out=batch / "out", fmt="pdf", locales=["en"])
    with pytest.raises(SourceError, match="b-visit.txt: the file is empty"):
        build([batch / "procedures"], **common)
    assert not (batch / "out").exists()
    report = build([batch / "procedures"], keep_going=True, **common)
    assert report.unreadable == [f"{batch / 'procedures' / 'b-visit.txt'}: the file is empty"]
    assert sorted(o.path.name for o in report.outputs) == ["a-visit.pdf", "c-visit.pdf"]


# --- paths only the library can be given --------------------------------------------------------------------


def test_a_path_with_a_nul_is_refused_as_a_source_error(tmp_path):
    for call in (reader.read, lambda p: reader.find_procedures([p])):
        with pytest.raises(SourceError, match="NUL"):
            call(tmp_path / "visit\x00.txt")


def test_a_regular_file_check_does_not_follow_into_a_pipe_in_a_folder(clinic):
    # a folder of procedures with a FIFO named like one: it is not a file, so it is not a procedure
    (clinic / "procedures").mkdir()
    shutil.copy(SHORT, clinic / "procedures" / "visit.txt")
    os.mkfifo(clinic / "procedures" / "pipe.txt")
    assert stat.S_ISFIFO((clinic / "procedures" / "pipe.txt").stat().st_mode)
    result = run("inspect", "procedures/visit.txt", cwd=clinic)
    assert result.returncode == 0
    result = run("extract", "procedures", cwd=clinic)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (clinic / "translations").iterdir()) == ["leaflet.pot", "visit.pot"]


def test_a_file_name_with_terminal_commands_is_shown_as_codes(tmp_path):
    """A file named with ESC sequences (a colour, a window title) reached the terminal raw in a warning: every
    message shows such a character as its code, and the build goes on."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a\x1b[31mRED\x1b]0;pwned\x07\u202e.txt").write_text("Title: Knee check\n\nWhat it is\nA short visit.\n",
                                                                    encoding="utf-8")
    result = run("build", "sources", "--format", "pdf", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    shown = result.stdout + result.stderr
    assert not any(c in shown for c in "\x1b\x07\u202e"), shown
    assert "a[U+001B][31mRED[U+001B]]0;pwned[U+0007][U+202E].txt" in result.stderr
