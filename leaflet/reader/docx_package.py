"""A .docx file as the zip package it is: what is refused before python-docx unpacks anything (not a zip, an
encrypted or old .doc file, macros, a zip bomb, entity declarations) and what is damaged."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import docx
from docx.document import Document
from lxml import etree

from ..errors import SourceError

_MB = 2**20
_MAX_UNPACKED = 50 * _MB  # all parts together: a few pages with photos are a few MB
_MAX_RATIO, _RATIO_FROM = 100, 5 * _MB  # Word XML compresses about 10 to 1; a large part at 100 to 1 is a bomb
_MAIN = "word/document.xml"
_MAX_PARTS = 2000  # zip members: Word writes a few dozen, a part per picture beside them
_PIECE = _MB
_DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word's encrypted .docx and the old .doc are both OLE files


def open_document(data: bytes, where: str) -> Document:
    """The python-docx Document of a .docx, or one line saying why the file is refused."""
    if not data.strip():
        raise SourceError("the file is empty", where=where)
    if data.startswith(_OLE):
        raise SourceError(
            "this Word document is password-protected or encrypted, or an old .doc saved with a new name:"
            " remove the password / save it as .docx", where=where)
    try:
        package = zipfile.ZipFile(BytesIO(data))
    except Exception:  # random bytes make zipfile fail in many ways; all mean the same here
        raise SourceError("this is not a Word document (.docx): it is not the zip package every .docx is", where=where) from None
    with package:
        honest = _check_package(package, where)
    try:
        return docx.Document(honest)
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged package: one line for all
        raise _damaged(exc, where) from None


def _damaged(exc: Exception, where: str) -> SourceError:
    if isinstance(exc, etree.XMLSyntaxError):
        reason = "its XML is not well-formed: " + re.sub(r" \(<string>, line \d+\)$", "", str(exc))
    else:  # the zip's own words ("Bad CRC-32 for file ..."); python-docx's would mean nothing to the reader
        reason = str(exc) if isinstance(exc, (zipfile.BadZipFile, RuntimeError, NotImplementedError)) else "a part is missing or unreadable"
    return SourceError(f"the Word document is damaged ({' '.join(reason.split())}); open it in Word and save it again", where=where)


def _check_package(package: zipfile.ZipFile, where: str) -> BytesIO:
    """Refuse, from the zip's directory, what must not be unpacked; then unpack every part a piece at a time with
    a cap, and give python-docx those parts packed again: a directory can lie about a part's size, and python-docx
    would unpack what a lying part's stream holds (up to 1 GB at once) before cutting it to that size."""
    infos = package.infolist()
    if len(infos) > _MAX_PARTS:
        raise SourceError(f"the Word document has {len(infos)} parts (a document of a few pages has a few dozen):"
                          " refused", where=where)
    odd = next((i for i in infos if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)), None)
    if odd is not None:  # bzip2 and LZMA are unpacked without any limit; Word uses neither
        raise SourceError(f"the Word document's part {odd.filename} is compressed in a way Word never uses: refused",
                          where=where)
    if sum(i.file_size for i in infos) > _MAX_UNPACKED or any(
        i.file_size > _RATIO_FROM and i.file_size > _MAX_RATIO * max(i.compress_size, 1) for i in infos
    ):
        raise SourceError(f"the Word document would unpack to far more than its size (over {_MAX_UNPACKED // _MB} MB,"
                          f" or over {_MAX_RATIO} to 1): refused as a zip bomb", where=where)
    names = {i.filename for i in infos}
    if _MAIN not in names:
        raise SourceError(f"this is a zip file but not a Word document (.docx): it has no {_MAIN}", where=where)
    types = _member(package, "[Content_Types].xml", where, _MB).lower() if "[Content_Types].xml" in names else b""
    if b"macroenabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise SourceError("this Word document contains macros: save it as a plain .docx (Word Document)", where=where)
    parts = _unpacked(package, infos, where)
    # Word never writes a DOCTYPE; one is there to define entities (python-docx would not expand them anyway).
    if any(doctype in parts[_MAIN] for doctype in _DOCTYPES):
        raise SourceError("the Word document declares XML entities (a DOCTYPE), which Word never does: refused", where=where)
    return _packed(parts)


def _unpacked(package: zipfile.ZipFile, infos: list[zipfile.ZipInfo], where: str) -> dict[str, bytes]:
    """Every part, unpacked a piece at a time (zipfile stops a part at its declared size), at most 50 MB in all."""
    parts: dict[str, bytes] = {}
    total = 0
    for info in infos:
        pieces = []
        try:
            with package.open(info) as member:
                while piece := member.read(_PIECE):
                    total += len(piece)
                    if total > _MAX_UNPACKED:
                        raise SourceError(f"the Word document unpacks to over {_MAX_UNPACKED // _MB} MB:"
                                          " refused as a zip bomb", where=where)
                    pieces.append(piece)
        except SourceError:
            raise
        except Exception as exc:  # a bad CRC, a truncated stream
            raise _damaged(exc, where) from None
        parts[info.filename] = b"".join(pieces)
    return parts


def _packed(parts: dict[str, bytes]) -> BytesIO:
    honest = BytesIO()
    with zipfile.ZipFile(honest, "w", zipfile.ZIP_STORED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    honest.seek(0)
    return honest


def _member(package: zipfile.ZipFile, name: str, where: str, cap: int) -> bytes:
    try:
        with package.open(name) as member:
            data = member.read(cap + 1)
    except Exception as exc:  # a bad CRC, an encrypted part, an unknown compression method, a truncated stream
        raise _damaged(exc, where) from None
    if len(data) > cap:
        raise SourceError(f"{name} unpacks to over {cap // _MB} MB: refused as a zip bomb", where=where)
    return data
