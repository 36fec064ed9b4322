"""Clinic documents -> Procedure model: finding the files, and one reader per format (.txt, .md, .docx).

Every format becomes the same `Procedure`. Markdown and Word documents are turned into lines whose kind the
document itself marks (a heading style, a list, a table row); the text reader reads those and plain text alike.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

from .. import manifest
from ..config import own_headings
from ..errors import SourceError
from ..fsutil import read_limited
from ..model import Procedure
from .text import MAX_WORD, parse, parse_lines

__all__ = ["MAX_SOURCE_BYTES", "MAX_WORD", "PROCEDURE_SUFFIXES", "domain_for", "find_procedures", "parse", "parse_lines", "read", "read_all", "safety_warnings"]

RESERVED_DOMAINS = {"leaflet"}  # the leaflet's own wording has this domain
# Each format's reader module: bytes -> the lines the text reader reads (`lines(data, where) -> list[Line]`),
# imported when a file of its format is read (python-docx and lxml cost a build of text files nothing).
READERS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".docx": "docx"}
PROCEDURE_SUFFIXES = tuple(READERS)
# Word formats no reader here can open safely: refused with what to do instead.
_REFUSED = {
    ".doc": "this is an old Word document (.doc); open it in Word or LibreOffice and save it as .docx",
    ".docm": "this Word document contains macros (.docm); save it as a plain .docx (Word Document)",
    ".dotx": "this is a Word template (.dotx); save a document made from it as .docx",
    ".rtf": "this is an RTF file; save it as .docx or as plain text (.txt)",
    ".pdf": "this is a PDF; copy its text into a .txt file, or give leaflet the Word document it was made from",
}
# Far beyond any procedure description (the seed is 9 kB): a larger file is some other file, not read into memory.
MAX_SOURCE_BYTES = 16 * 2**20


def domain_for(path: str | Path) -> str:
    """A procedure's domain: its file stem in lower case, reduced to [a-z0-9-]."""
    stem = Path(path).stem.lower()
    domain = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", stem)).strip("-")
    if not domain:
        raise SourceError("cannot make a domain name from the file name (use letters or digits)", where=str(path))
    if domain in RESERVED_DOMAINS:
        raise SourceError(f"the name '{domain}' is reserved for leaflet's own wording; rename the file", where=str(path))
    return domain


def find_procedures(paths: list[str | Path], output: Path | None = None, skipped: list[str] | None = None) -> list[Path]:
    """Expand files and folders into procedure files, refusing missing paths, empty folders and name clashes.
    `output` is the build's OUT: its files (a guide's transcript and spoken script are .txt) are a build's own
    outputs, never read back as procedures. Wherever it sits in a folder given (`leaflet build .` writes to
    ./out) it is left out, and a path given inside it is refused."""
    found: list[Path] = []
    outputs = os.path.realpath(output) if output is not None else None
    for given in paths:
        path = _checked_path(given)
        if outputs is not None and _inside(path, outputs):
            raise SourceError(f"this is inside the output folder {output}: leaflet does not read its own outputs as"
                              " procedures", where=str(path), hint="give the procedures' own file or folder, or"
                              " build into another folder with -o")
        if path.is_dir():
            # another build's OUT (`-o` elsewhere this time) is known by the lock every build takes in it, or by
            # leaflet's manifest (a copy of OUT without its hidden lock); leaving one out is said, never silent
            inside = list(path.rglob("*"))
            others = sorted({os.path.realpath(p.parent) for p in inside if _marks_an_output(p)})
            if skipped is not None:
                skipped.extend(f"{folder}: left out: another build's output folder (it holds leaflet's manifest or"
                               " lock), whose files are never read as procedures" for folder in others
                               if not (outputs is not None and _inside(Path(folder), outputs)))
            files = sorted(p for p in inside if _procedure_in_folder(p.relative_to(path)) and p.is_file()
                           and not any(_inside(p, folder) for folder in filter(None, [outputs, *others])))
            if not files:
                raise SourceError("no procedure files (.txt, .md, .docx) in this folder", where=str(path))
            found.extend(files)
        elif path.exists():
            found.append(path)  # a file, or a pipe or device that read() refuses with its reason
        else:
            raise SourceError("no such file or folder", where=str(path))
    by_domain: dict[str, Path] = {}
    unique: list[Path] = []
    for path in found:
        domain = domain_for(path)
        if domain in by_domain:
            if by_domain[domain].resolve() == path.resolve():
                continue
            raise SourceError(f"two procedures would share the name '{domain}': {by_domain[domain]} and {path}", where=str(path))
        by_domain[domain] = path
        unique.append(path)
    return unique


def _marks_an_output(path: Path) -> bool:
    """A build's lock, or a manifest.json begun as leaflet writes its manifest."""
    if path.name == manifest.LOCK:
        return True
    if path.name != manifest.NAME or not path.is_file():
        return False
    try:
        with open(path, "rb") as file:
            return manifest.begun_as_leaflets(file.read(64))
    except OSError:
        return False


def _inside(path: Path, folder: str) -> bool:
    """Whether the file or folder `path`, links resolved, is `folder` (resolved) or in it."""
    return os.path.commonpath([os.path.realpath(path), folder]) == folder


def _procedure_in_folder(relative: Path) -> bool:
    """A file in a folder is a procedure by its suffix, except a README, a hidden or draft file ("_notes.md"),
    or Word's lock file ("~$knee.docx"); an old .doc is taken, to be refused with what to do."""
    if any(part.startswith((".", "_", "~$")) for part in relative.parts):
        return False
    suffix = relative.suffix.lower()
    if relative.stem.lower() == "readme":
        return False
    return suffix in READERS or suffix in (".doc", ".docm")


def _checked_path(given: str | Path) -> Path:
    """A path the file system can be asked about: one with a NUL in it (only the library API can pass one) cannot."""
    path = Path(given)
    if "\x00" in str(path):
        raise SourceError("a file name cannot hold a NUL character", where=str(path).replace("\x00", "\\0"))
    return path


def read(path: str | Path, headings: dict[str, str] | None = None, *, explain: bool = False) -> Procedure:
    """Read and parse one procedure file. `headings` are the clinic's own ([headings] of the configuration;
    by default those of ./leaflet.toml); `explain` keeps a note of how each line was read."""
    path = _checked_path(path)
    where = str(path)
    if path.is_dir():
        raise SourceError("this is a folder, not a procedure file", where=where)
    domain = domain_for(path)
    # a regular file only: a pipe would wait for a writer for ever, a device (/dev/zero) never end
    data = read_limited(path, MAX_SOURCE_BYTES, "file", SourceError)
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise SourceError(_REFUSED[suffix], where=where)
    # a file named on the command line is read as text whatever its name
    reader = importlib.import_module(f"{__name__}.{READERS.get(suffix, 'text')}")
    if headings is None:
        headings = own_headings()
    return parse_lines(reader.lines(data, where), source=where, domain=domain, headings=headings, explain=explain)


def safety_warnings(procedure: Procedure) -> list[str]:
    """Every real leaflet tells the patient when to get help; one that does not is built, with a warning."""
    if procedure.section("warning"):
        return []
    return [
        f"{procedure.source}: no section tells the patient when to get help (a heading such as 'When to call us',"
        " 'Warning signs' or 'Call 911 if'); add one: the leaflet prints it in a box and the audio guide says it"
        " last, with your phone number"
    ]


def read_all(paths: list[str | Path], headings: dict[str, str] | None = None) -> list[Procedure]:
    if headings is None:
        headings = own_headings()
    return [read(p, headings) for p in find_procedures(paths)]


