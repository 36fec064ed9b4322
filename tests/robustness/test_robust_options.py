"""Bad options through the real command: an unknown locale, a locale or domain that would leave its folder, a type
size out of range, an output folder that cannot be one. One line, exit 1 (a usage error, exit 2, for a value that is
not a number at all, an unknown option or command), and nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from leaflet import reader
from leaflet.build import build
from leaflet.catalogs import Layout
from leaflet.config import load
from leaflet.errors import CatalogError, LeafletError, SourceError
from leaflet.locales import normalize
from robust import refused, run, snapshot

SHORT = FIXTURES / "audio" / "short-visit.txt"
CONFIG = '[clinic]\nname = "Riverside Clinic"\nphone = "555 0199"\n'


@pytest.fixture
def clinic(tmp_path, monkeypatch):
    """A working folder in a folder of its own, so that a path escaping it ("../x") would show up beside it."""
    work = tmp_path / "clinic"
    work.mkdir()
    (work / "leaflet.toml").write_text(CONFIG, encoding="utf-8")
    # the short visit, with the section every real leaflet has (so that a refusal is the only line on stderr)
    (work / "visit.txt").write_text(SHORT.read_text("utf-8") + "\nWhen to call us\n- Bleeding that does not stop\n", "utf-8")
    monkeypatch.chdir(work)
    return work


def refused_writing_nothing(clinic: Path, *args: str, needles: tuple[str, ...] = ()) -> str:
    before, around = snapshot(clinic), snapshot(clinic.parent)
    line = refused(run(*args, cwd=clinic), *needles)
    assert snapshot(clinic) == before and snapshot(clinic.parent) == around
    return line


# --- locales --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["xx", "klingon", "../x", "/etc", "a/b", "es/../..", "", "C", "es_ES.UTF-8/../x"])
def test_an_unknown_or_escaping_locale_is_refused_by_build_and_init(clinic, locale):
    for command in (["build", "visit.txt", "--format", "pdf", "-l", locale], ["init", "visit.txt", "-l", locale]):
        refused_writing_nothing(clinic, *command, needles=("unknown locale", repr(locale)))


def test_a_known_locale_without_a_catalog_is_refused_naming_the_next_step(clinic):
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf", "-l", "es",
                            needles=("no es catalog for visit", "leaflet init visit.txt -l es"))


@pytest.mark.parametrize("name", ["es\x00", "\x00", "es_MX\x00/../../x", "../\x00"])
def test_a_locale_with_a_nul_is_refused_through_the_library(tmp_path, name):
    # a NUL cannot pass through argv; the library is the way in
    with pytest.raises(CatalogError, match="unknown locale"):
        normalize(name)
    with pytest.raises(CatalogError):
        Layout(tmp_path / "translations").po("visit", name)
    assert not (tmp_path / "translations").exists()


@pytest.mark.parametrize("domain", ["../x", "/etc/passwd", "a/b", "x\x00", "", "..", "leaflet/../x"])
def test_a_domain_that_would_leave_the_catalogs_folder_is_refused_through_the_library(tmp_path, domain):
    layout = Layout(tmp_path / "translations")
    for path in (lambda: layout.template(domain), lambda: layout.po(domain, "es")):
        with pytest.raises(CatalogError, match="not a domain name"):
            path()


@pytest.mark.parametrize("name", ["...txt", "---.txt", "\u00bf\u00bf.txt", "leaflet.txt"])
def test_a_file_name_that_makes_no_domain_is_refused(clinic, name):
    shutil.copy(SHORT, clinic / name)
    for command in (["extract", f"./{name}"], ["build", f"./{name}", "--format", "pdf"]):  # "./": "---" is no option
        refused_writing_nothing(clinic, *command, needles=(name,))


def test_a_domain_taken_from_a_file_name_never_holds_a_path(tmp_path):
    # a file name with a NUL cannot exist; one with dots, slashes' look-alikes and spaces becomes [a-z0-9-]
    assert reader.domain_for(tmp_path / "..\u2215..\u2215etc passwd.txt") == "etc-passwd"
    with pytest.raises(SourceError, match="NUL"):
        reader.read(tmp_path / "a\x00b.txt")


def test_a_catalogs_folder_named_like_no_locale_is_refused(clinic):
    for name in ("..x", "es_ES.UTF-8", "x y"):
        folder = clinic / "translations" / name / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "visit.po").write_text("", encoding="utf-8")
        line = refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf")
        assert "locale" in line
        shutil.rmtree(clinic / "translations")


# --- type size ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size, needle",
    [("15", "too small"), ("15.9", "too small"), ("0", "too small"), ("-1", "too small"), ("nan", "a number of points"),
     ("inf", "a number of points"), ("-inf", "a number of points"), ("1000", "too large"), ("36.5", "too large"),
     ("1e308", "too large")],
)
def test_a_font_size_out_of_range_is_refused(clinic, size, needle):
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf", "--font-size", size, needles=(needle,))


@pytest.mark.parametrize("size", ["10", "-3", "nan", "100", '"18"', "true"])
def test_a_font_size_out_of_range_in_the_configuration_is_refused_naming_the_file(clinic, size):
    (clinic / "leaflet.toml").write_text(CONFIG + f"font_size = {size}\n", encoding="utf-8")
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf", needles=("leaflet.toml", "font"))


@pytest.mark.parametrize("args, needle", [
    (["--font-size", "abc"], "Invalid value for '--font-size'"), (["--font-size", ""], "Invalid value for '--font-size'"),
    (["--jobs", "x"], "Invalid value for '--jobs'"), (["--rate", "fast"], "Invalid value for '--rate'"),
    (["--bogus"], "No such option: --bogus"),
])
def test_a_malformed_option_is_one_usage_line_naming_the_help(clinic, args, needle):
    before = snapshot(clinic)
    result = run("build", "visit.txt", "--format", "pdf", *args, cwd=clinic)
    assert result.returncode == 2 and result.stdout == "", result
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(f"leaflet: error: {needle}"), result.stderr
    assert result.stderr.strip().endswith("(see 'leaflet build --help')"), result.stderr
    assert snapshot(clinic) == before


@pytest.mark.parametrize("args, needle", [(["nosuch"], "No such command 'nosuch'"),
                                          (["build"], "Missing argument 'FILE_OR_DIR'")])
def test_an_unknown_command_or_a_missing_argument_is_one_usage_line(clinic, args, needle):
    result = run(*args, cwd=clinic)
    assert result.returncode == 2 and result.stderr.splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(f"leaflet: error: {needle}"), result.stderr


def test_leaflet_alone_shows_its_help(clinic):
    result = run(cwd=clinic)
    assert "Usage: leaflet" in result.stdout + result.stderr and "build" in result.stdout + result.stderr


def test_the_smallest_and_largest_sizes_allowed_build(clinic):
    for size in ("16", "36"):
        result = run("build", "visit.txt", "--format", "pdf", "-l", "en", "--font-size", size, "-o", f"out{size}",
                     cwd=clinic)
        assert result.returncode == 0, result.stderr
        assert (clinic / f"out{size}" / "visit" / "en" / "visit.pdf").is_file()


# --- output and catalogs folders --------------------------------------------------------------------------


def test_an_output_folder_that_is_a_file_is_refused(clinic):
    (clinic / "out").write_text("not a folder", encoding="utf-8")
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf", "-o", "out",
                            needles=("out: the output folder is a file", "-o"))
    assert (clinic / "out").read_text("utf-8") == "not a folder"


def test_an_output_folder_inside_a_file_is_refused(clinic):
    # as root, permissions do not stop a write: a path under a file is one that cannot be made
    (clinic / "notes").write_text("a file", encoding="utf-8")
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf", "-o", "notes/out/here",
                            needles=("notes/out/here", "inside notes, a file"))


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_output_folder_that_cannot_be_made_is_refused(clinic):
    # /proc takes no new folder, even from root
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf", "-o", "/proc/leaflet-out",
                            needles=("/proc/leaflet-out",))
    assert not Path("/proc/leaflet-out").exists()


def test_a_catalogs_folder_that_is_a_file_is_refused(clinic):
    (clinic / "catalogs").write_text("a file", encoding="utf-8")
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", "pdf", "--translations", "catalogs",
                            needles=("catalogs: the catalogs folder is a file", "--translations"))


def test_extract_into_a_file_is_refused(clinic):
    (clinic / "notes").write_text("a file", encoding="utf-8")
    for target in ("notes", "notes/sub"):
        refused_writing_nothing(clinic, "extract", "visit.txt", "-o", target, needles=(target,))


@pytest.mark.parametrize("out", ["o\x00ut", "o/\x00"])
def test_an_output_folder_with_a_nul_is_refused_through_the_library(clinic, out):
    with pytest.raises(LeafletError, match="NUL"):
        build(["visit.txt"], layout=Layout(clinic / "translations"), config=load(), out=Path(out), fmt="pdf")
    with pytest.raises(LeafletError, match="NUL"):
        build(["visit.txt"], layout=Layout(Path(out)), config=load(), out=clinic / "out", fmt="pdf")
    assert snapshot(clinic) == {"leaflet.toml", "visit.txt"}


def test_a_catalogs_folder_with_a_nul_is_refused_by_the_layout(tmp_path):
    with pytest.raises(CatalogError):
        Layout(tmp_path / "trans\x00lations").po("visit", "es")


# --- the other options, for completeness -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args, needle",
    [(["--format", "docx"], "unknown format"), (["--paper", "b5"], "--paper"), (["--jobs", "0"], "--jobs"),
     (["--jobs", "-3"], "--jobs"), (["--engine", "say"], "no speech engine"), (["--rate", "0"], "--rate"),
     (["--rate", "99999999999999999999"], "--rate"), (["--loudness", "nan"], "--loudness"),
     (["--loudness", "0"], "--loudness"), (["--all-locales", "-l", "es"], "--all-locales"),
     (["--config", "missing.toml"], "no such configuration file")],
)
def test_other_options_out_of_range_are_refused(clinic, args, needle):
    fmt = "audio" if args[0] in ("--engine", "--rate", "--loudness") else "pdf"
    refused_writing_nothing(clinic, "build", "visit.txt", "--format", fmt, *args, needles=(needle,))
