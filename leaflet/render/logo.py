"""The clinic's logo: read under a size limit, decoded whole, and a JPEG's coded picture checked to be all there.

The PDF writer decodes a PNG with Pillow, but embeds a JPEG's bytes as they are, for the reader's viewer to
decode. libjpeg, Pillow's decoder, only warns where a JPEG's picture data is garbage or ends before the
picture does (a header that says 200x2000 over the data of 200x200), draws grey for the rest, and Pillow drops the
warning: such a logo would print as a grey box or a garble. So the JPEG's scan is walked here: every 0xFF in it
must be a stuffed byte or a restart marker, the scan must end at a marker, and (for a baseline JPEG, which is
what nearly every logo is) the Huffman codes are counted block by block: there must be exactly as many blocks as
the header's size needs, every code one of the file's own tables.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from pathlib import Path

from ..errors import LeafletError
from ..fsutil import read_limited

MAX_LOGO_BYTES = 10 * 2**20
MAX_LOGO_PIXELS = 4000 * 4000
# Markers that may end a scan: another table, another scan, the end of the picture, an application segment.
_AFTER_SCAN = {0xD9, 0xC4, 0xDB, 0xDD, 0xDA, 0xDC, 0xFE, *range(0xE0, 0xF0)}


class Damaged(Exception):
    """What is wrong with an image, said in a few words."""


def read_logo(path: Path, error: type[LeafletError], where: str | None = None) -> bytes:
    """The logo's bytes, refused in one line (an `error` naming `where`, else the file) unless it is a regular file
    of at most 10 MB holding a PNG or JPEG of at most 4000x4000 pixels that decodes whole. Checked once per
    process for the same bytes (a 10 MB JPEG's codes take seconds to walk): the configuration's check serves
    every leaflet of a build, and a logo replaced while the build runs is checked again."""
    data = read_limited(path, MAX_LOGO_BYTES, "logo", error)
    digest = hashlib.sha256(data).digest()
    if digest not in _CHECKED:
        try:
            check(data)
        except Damaged as problem:
            raise error(f"clinic.logo: {path.name} {problem}", where=where or str(path)) from None
        _CHECKED.add(digest)
    return data


_CHECKED: set[bytes] = set()  # digests of the logos this process has checked (worker processes inherit it)


def check(data: bytes) -> None:
    """Raise Damaged unless `data` is a PNG or JPEG of a sensible size that decodes whole."""
    from PIL import Image, ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # the default; a truncated picture is an error here, never grey
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Pillow's warnings about a damaged file are refusals
            with Image.open(io.BytesIO(data)) as image:
                kind, width, height = image.format, image.width, image.height
                if kind not in ("PNG", "JPEG"):
                    raise Damaged(f"is a {kind} image; clinic.logo must be a PNG or JPEG")
                if width * height > MAX_LOGO_PIXELS:
                    raise Damaged(f"is {width}x{height} pixels; use one of at most 4000x4000 pixels (it prints 22 mm wide)")
                image.verify()  # a PNG's checksums
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # every pixel decoded: a PNG whose data is not zlib, or ends early, fails here
                if image.size != (width, height):
                    raise Damaged(f"decodes to {image.size[0]}x{image.size[1]} pixels, not the {width}x{height} it says")
    except Damaged:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):  # over 89 million pixels: said at open
        raise Damaged("has far more than 4000x4000 pixels; use one of at most 4000x4000 (it prints 22 mm wide)") from None
    except Exception:  # Pillow raises many kinds for a file that is no image, or a damaged one
        raise Damaged("is not a PNG or JPEG image that can be read whole") from None
    if kind == "JPEG":
        check_jpeg(data)


def check_jpeg(data: bytes) -> None:
    """Raise Damaged where a JPEG's coded picture is garbage or does not cover the size its header gives."""
    _Jpeg(data).walk()


class _Jpeg:
    def __init__(self, data: bytes):
        self.data = data
        self.frame: tuple[int, int, int, dict[int, tuple[int, int]]] | None = None  # kind, width, height, {id: (h, v)}
        self.tables: dict[tuple[int, int], list] = {}  # (class, id) -> 16-bit lookup table
        self.restart = 0

    def walk(self) -> None:
        data, pos = self.data, 2
        if data[:2] != b"\xff\xd8":
            raise Damaged("is not a JPEG image that can be read whole")
        while True:
            while pos < len(data) and data[pos] == 0xFF and pos + 1 < len(data) and data[pos + 1] == 0xFF:
                pos += 1  # fill bytes before a marker
            if pos + 2 > len(data) or data[pos] != 0xFF:
                raise Damaged("has damaged JPEG data (no marker where one must be)")
            marker = data[pos + 1]
            if marker == 0xD9:
                return
            if pos + 4 > len(data):
                raise Damaged("ends in the middle of its JPEG data")
            length = struct.unpack_from(">H", data, pos + 2)[0]
            body = data[pos + 4 : pos + 2 + length]
            if length < 2 or len(body) != length - 2:
                raise Damaged("has a JPEG segment longer than the file")
            pos += 2 + length
            if marker in (0xC0, 0xC1, 0xC2):
                self._frame(marker, body)
            elif marker == 0xC4:
                self._huffman(body)
            elif marker == 0xDD and len(body) >= 2:
                self.restart = struct.unpack_from(">H", body)[0]
            elif marker == 0xDA:
                pos = self._scan(body, pos)
            elif 0xC3 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                raise Damaged("is a lossless, hierarchical or arithmetic-coded JPEG; save it as an ordinary JPEG or PNG")

    def _frame(self, marker: int, body: bytes) -> None:
        if len(body) < 6:
            raise Damaged("has a damaged JPEG header")
        _, height, width, count = struct.unpack_from(">BHHB", body)
        components = {}
        for i in range(count):
            if 6 + 3 * i + 3 > len(body):
                raise Damaged("has a damaged JPEG header")
            ident, sampling, _ = body[6 + 3 * i : 9 + 3 * i]
            components[ident] = (sampling >> 4 or 1, sampling & 15 or 1)
        self.frame = (marker, width, height, components)

    def _huffman(self, body: bytes) -> None:
        pos = 0
        while pos + 17 <= len(body):
            kind, counts = body[pos], body[pos + 1 : pos + 17]
            symbols = body[pos + 17 : pos + 17 + sum(counts)]
            if len(symbols) != sum(counts):
                raise Damaged("has a damaged JPEG Huffman table")
            # A 16-bit lookup: the next 16 bits of the data -> (bits to skip, coefficients it stands for); None
            # where no code starts. A DC code is followed by its difference's bits; an AC code by its
            # coefficient's, after a run of zeros; an AC end of block (0) stands for no coefficient at all.
            dc = kind >> 4 == 0
            table: list = [None] * 65536
            code = index = 0
            for length, count in enumerate(counts, start=1):
                for _ in range(count):
                    if code >= 1 << length:
                        raise Damaged("has a damaged JPEG Huffman table")
                    start = code << (16 - length)
                    symbol = symbols[index]
                    if dc:
                        entry = (length + symbol, 1) if symbol <= 15 else None
                    else:
                        entry = (length + (symbol & 15), (symbol >> 4) + 1 if symbol else 0)
                    table[start : start + (1 << (16 - length))] = [entry] * (1 << (16 - length))
                    code += 1
                    index += 1
                code <<= 1
            self.tables[(kind >> 4, kind & 15)] = table
            pos += 17 + len(symbols)

    def _scan(self, header: bytes, pos: int) -> int:
        """Check one scan whose coded data starts at `pos`; the position of the marker that ends it."""
        data = self.data
        end = pos
        while True:
            end = data.find(b"\xff", end)
            if end < 0 or end + 1 >= len(data):
                raise Damaged("ends in the middle of its JPEG picture data")
            follower = data[end + 1]
            if follower == 0x00 or 0xD0 <= follower <= 0xD7:
                end += 2
                continue
            if follower == 0xFF:  # fill bytes, then the marker
                fill = end
                while fill + 1 < len(data) and data[fill + 1] == 0xFF:
                    fill += 1
                if fill + 1 >= len(data) or data[fill + 1] not in _AFTER_SCAN:
                    raise Damaged("has garbage in its JPEG picture data")
                break
            if follower not in _AFTER_SCAN:
                raise Damaged("has garbage in its JPEG picture data")
            break
        if self.frame is not None and self.frame[0] in (0xC0, 0xC1):
            self._count_blocks(header, data[pos:end])
        return end

    def _count_blocks(self, header: bytes, coded: bytes) -> None:
        """A baseline scan: decode every block's Huffman codes (not the picture), in each restart interval."""
        _, width, height, components = self.frame
        if not header or len(header) < 1 + 2 * header[0]:
            raise Damaged("has a damaged JPEG scan header")
        chosen = []
        for i in range(header[0]):
            ident, tables = header[1 + 2 * i], header[2 + 2 * i]
            if ident not in components or (0, tables >> 4) not in self.tables or (1, tables & 15) not in self.tables:
                raise Damaged("has a JPEG scan with no Huffman table or component")
            chosen.append((components[ident], self.tables[(0, tables >> 4)], self.tables[(1, tables & 15)]))
        h_max = max(h for h, _ in components.values())
        v_max = max(v for _, v in components.values())
        if len(chosen) == 1:  # one component alone: its own blocks, one at a time
            (h, v), dc, ac = chosen[0]
            columns = -(-(-(-width * h // h_max)) // 8)
            rows = -(-(-(-height * v // v_max)) // 8)
            units, plan = columns * rows, [(dc, ac)]
        else:
            units = -(-width // (8 * h_max)) * -(-height // (8 * v_max))
            plan = [(dc, ac) for (h, v), dc, ac in chosen for _ in range(h * v)]
        intervals = _restart_split(coded)
        per = self.restart or units
        if len(intervals) != -(-units // per):
            raise Damaged("has JPEG picture data that does not match the size in its header")
        for n, interval in enumerate(intervals):
            _decode(interval.replace(b"\xff\x00", b"\xff"), min(per, units - n * per), plan)


def _restart_split(coded: bytes) -> list[bytes]:
    parts, start, pos = [], 0, 0
    while (pos := coded.find(b"\xff", pos)) >= 0:
        if 0xD0 <= coded[pos + 1] <= 0xD7:
            parts.append(coded[start:pos])
            start = pos + 2
        pos += 2
    parts.append(coded[start:])
    return parts


def _decode(bits: bytes, units: int, plan: list) -> None:
    """Walk `units` units (an MCU, or one block) of Huffman codes; Damaged if a code is not in its table or the data
    ends before the last unit does (libjpeg would fill the rest with grey, and only warn). About 0.4 s for a
    megabyte of codes (measured: a 10 MB photograph of noise, the worst a logo can be, 4 s)."""
    total = len(bits) * 8
    data = bits + b"\xff\xff\xff\xff"  # as a JPEG pads its last byte: with ones
    pos = 0
    for _ in range(units):
        for dc, ac in plan:
            if pos >= total:
                raise _no_code(pos, total)
            at = pos >> 3
            entry = dc[(((data[at] << 16) | (data[at + 1] << 8) | data[at + 2]) >> (8 - (pos & 7))) & 0xFFFF]
            if entry is None:
                raise _no_code(pos, total)
            pos += entry[0]
            k = 1
            while k < 64:
                at = pos >> 3
                entry = ac[(((data[at] << 16) | (data[at + 1] << 8) | data[at + 2]) >> (8 - (pos & 7))) & 0xFFFF]
                if entry is None:
                    raise _no_code(pos, total)
                pos += entry[0]
                if not entry[1]:  # end of block
                    break
                k += entry[1]  # a run of zeros, then a coefficient (0xF0: sixteen zeros)
            if k > 64:
                raise Damaged("has garbage in its JPEG picture data")
    if pos > total:
        raise _no_code(pos, total)
    if total - pos >= 16:
        raise Damaged("has more JPEG picture data than the size in its header needs")


def _no_code(pos: int, total: int) -> Damaged:
    """No code where one must be: the data has ended (within its last two bytes' padding), or it is garbage."""
    if pos + 16 > total:
        return Damaged("has JPEG picture data that ends before the picture does (its header says a larger size"
                       " than its data holds)")
    return Damaged("has garbage in its JPEG picture data")
