"""Bytes to text: encodings and line ends as clinics' files really come, and refusal of what is not text."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from ..errors import SourceError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The legacy encoding English-language clinical documents are most often saved in. Short texts
# fit several single-byte code pages equally well; among the equally plausible, this one wins.
_PREFERRED_LEGACY = "cp1252"
# A well-formed UTF-8 sequence of two to four bytes: its presence shows the file was meant as UTF-8.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Latin-script text in a single-byte code page has a few non-ASCII bytes (accents, quotes); Cyrillic,
# Greek or East Asian text has mostly non-ASCII bytes.
_LATIN_SHARE = 0.15
_CENTRAL_EUROPEAN = "cp1250"
# What Windows-1252 makes of Windows-1250's ą ł ż Ą Ş ş Ż ľ Ľ: symbols, where letters were meant.
_STUCK = re.compile("[\u00b9\u00b3\u00bf\u00a5\u00aa\u00ba\u00af\u00be\u00bc]")
_LINE_END = re.compile(r"\r\n|\r|\n")
# Control characters no text editor writes into a document (tab, line ends and form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Word processors' manual line and page breaks: read as line ends.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")


def decode(data: bytes, where: str) -> str:
    """Decode a procedure file's bytes, or refuse with one line saying why."""
    if not data.strip():
        raise SourceError("the file is empty", where=where)
    text = _decode(data, where)
    text = text.lstrip("\ufeff")  # and a second BOM (a file saved with one, then again with one): not text
    text = _OTHER_BREAKS.sub("\n", text)
    bad = _CONTROL.search(text)
    if bad:
        line = len(split_lines(text[: bad.start()] + "x"))
        raise SourceError(
            f"this is not a text file (control character U+{ord(bad.group()):04X})", where=f"{where}:{line}"
        )
    if not text.strip():
        raise SourceError("the file is empty", where=where)
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, where: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"the file starts with a {encoding} byte-order mark but is not {encoding}"
                    f" ({exc.reason} at byte {exc.start + len(bom)})",
                    where=where,
                ) from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise SourceError(f"this is not a text file (a NUL byte at byte {data.index(0)})", where=where)
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            # UTF-8 with a damaged spot: any single-byte guess would garble every accented letter.
            line = data.count(b"\n", 0, exc.start) + 1
            raise SourceError(
                f"the file is UTF-8 but byte {exc.start} is not valid UTF-8 ({exc.reason});"
                " save it again as UTF-8",
                where=f"{where}:{line}",
            ) from None
    return _decode_legacy(data, where)


def _fits(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _stuck_symbols(text: str) -> int:
    """Symbols that Windows-1252 shows where Central European letters were meant, stuck to a letter."""
    count = 0
    for match in _STUCK.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before.isalpha() or (after.isalpha() and match.group() != "\u00bf"):  # "¿Dolor?" is Spanish
            count += 1
    return count


def _mostly_utf8(data: bytes) -> bool:
    """As many well-formed UTF-8 sequences as bytes that fit none: a damaged UTF-8 file, not a legacy one.

    (In a Windows-1252 file, an accented letter is almost never followed by the one byte that would make
    a valid UTF-8 pair, while each of its accented letters is an invalid byte. On a tie, one "é" and one
    damaged byte, reading Windows-1252 would garble the "é": refusing is the safe answer.)"""
    valid = len(_UTF8_MULTIBYTE.findall(data))
    invalid = data.decode("utf-8", errors="replace").count("\ufffd")
    return valid > 0 and valid >= invalid


def _utf16_without_bom(data: bytes) -> str | None:
    """Text saved as UTF-16 without a byte-order mark: mostly ASCII, so every other byte is NUL."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_legacy(data: bytes, where: str) -> str:
    """A file that is not UTF-8: a Windows code page, almost always Windows-1252.

    With only a few accented letters or typographic quotes, a detector cannot tell code pages apart (a
    single "’" makes several East Asian encodings look as plausible as Windows-1252, and decoding as one of
    them garbles the letter after it). So Latin-script text (few non-ASCII bytes) is read as Windows-1252,
    or as Windows-1250 when that turns symbols stuck to letters ("Mo¿esz", "by³") into letters ("Możesz",
    "był"); only text that is mostly non-ASCII (Cyrillic, Greek, East Asian) goes to the detector.
    """
    non_ascii = sum(1 for byte in data if byte >= 0x80)
    if non_ascii <= _LATIN_SHARE * len(data):
        try:
            western = data.decode(_PREFERRED_LEGACY)
        except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined
            return data.decode(_CENTRAL_EUROPEAN if _fits(data, _CENTRAL_EUROPEAN) else "latin_1")
        if _stuck_symbols(western) >= 2 and _fits(data, _CENTRAL_EUROPEAN):
            central = data.decode(_CENTRAL_EUROPEAN)
            if _stuck_symbols(central) < _stuck_symbols(western):
                return central
        return western
    results = list(from_bytes(data))
    if not results:
        raise SourceError("this is not a text file (no text encoding fits it)", where=where)
    least_chaos = min(r.chaos for r in results)
    plausible = [r for r in results if r.chaos <= least_chaos + 0.01]
    for r in plausible:
        if _PREFERRED_LEGACY in r.could_be_from_charset:
            return data.decode(_PREFERRED_LEGACY)
    return str(plausible[0])


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR and LF alone (not on the other characters str.splitlines treats as breaks)."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
