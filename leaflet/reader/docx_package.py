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
_MAX_BODY = 20 * _MB  # read with this cap, for a zip's header may understate what a part unpacks to
_MAIN = "word/document.xml"
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
        _check_package(package, where)
    try:
        return docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged package: one line for all
        raise _damaged(exc, where) from None


def _damaged(exc: Exception, where: str) -> SourceError:
    if isinstance(exc, etree.XMLSyntaxError):
        reason = "its XML is not well-formed: " + re.sub(r" \(<string>, line \d+\)$", "", str(exc))
    else:  # the zip's own words ("Bad CRC-32 for file ..."); python-docx's would mean nothing to the reader
        reason = str(exc) if isinstance(exc, (zipfile.BadZipFile, RuntimeError, NotImplementedError)) else "a part is missing or unreadable"
    return SourceError(f"the Word document is damaged ({' '.join(reason.split())}); open it in Word and save it again", where=where)


def _check_package(package: zipfile.ZipFile, where: str) -> None:
    """Refuse, from the zip's directory alone, what python-docx must not unpack; then what it cannot read."""
    infos = package.infolist()
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
    # Word never writes a DOCTYPE; one is there to define entities (python-docx would not expand them anyway).
    if b"<!DOCTYPE" in _member(package, _MAIN, where, _MAX_BODY):
        raise SourceError("the Word document declares XML entities (a DOCTYPE), which Word never does: refused", where=where)


def _member(package: zipfile.ZipFile, name: str, where: str, cap: int) -> bytes:
    try:
        with package.open(name) as member:
            data = member.read(cap + 1)
    except Exception as exc:  # a bad CRC, an encrypted part, an unknown compression method, a truncated stream
        raise _damaged(exc, where) from None
    if len(data) > cap:
        raise SourceError(f"{name} unpacks to over {cap // _MB} MB: refused as a zip bomb", where=where)
    return data
