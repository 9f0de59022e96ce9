"""ESC/POS, encoded: pure functions from what to print to the bytes a thermal printer takes.

Our own encoder: python-escpos 3.1 brings dependencies and import-time side effects this
command set does not need. Every command cites the Epson ESC/POS Application Programming
Guide (APG) by its name; byte values are from there.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Literal

ESC, GS, DLE, LF = b"\x1b", b"\x1d", b"\x10", b"\n"

# ESC t n: select character code table (APG, "ESC t"). The code pages our receipts use.
CODE_PAGES = {
    "cp437": 0,  # USA, Standard Europe
    "cp850": 2,  # Multilingual
    "cp860": 3,
    "cp863": 4,
    "cp865": 5,
    "cp1252": 16,
    "cp866": 17,
    "cp852": 18,
    "cp858": 19,  # cp850 with the euro sign
}

Align = Literal["left", "center", "right"]


def columns(paper_width_mm: int) -> int:
    """Characters a line of font A holds: 48 on 80 mm paper, 32 on 58 mm (576 and 384 dots)."""
    return 48 if paper_width_mm == 80 else 32


_ALIGN = {"left": 0, "center": 1, "right": 2}


def initialize() -> bytes:
    """ESC @: clear the print buffer and reset modes (APG, "ESC @")."""
    return ESC + b"@"


def code_page(name: str) -> bytes:
    """ESC t n: the character code table (APG, "ESC t")."""
    if name not in CODE_PAGES:
        raise ValueError(f"code page {name!r} is not one of {', '.join(CODE_PAGES)}")
    return ESC + b"t" + bytes([CODE_PAGES[name]])


def bold(on: bool) -> bytes:
    """ESC E n: emphasized mode on or off (APG, "ESC E")."""
    return ESC + b"E" + bytes([1 if on else 0])


def size(width: int = 1, height: int = 1) -> bytes:
    """GS ! n: character size, 1 to 8 times in each direction (APG, "GS !")."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size is 1 to 8 in each direction")
    return GS + b"!" + bytes([((width - 1) << 4) | (height - 1)])


def align(how: Align) -> bytes:
    """ESC a n: justification (APG, "ESC a")."""
    return ESC + b"a" + bytes([_ALIGN[how]])


def feed(lines: int = 1) -> bytes:
    """ESC d n: print the buffer and feed n lines (APG, "ESC d")."""
    return ESC + b"d" + bytes([max(0, min(lines, 255))])


def cut() -> bytes:
    """GS V m n, function B, m = 66: feed to the cutter and cut partially (APG, "GS V")."""
    return GS + b"V" + bytes([66, 0])


def drawer_kick() -> bytes:
    """ESC p m t1 t2: pulse drawer pin 2 for 50 ms on, 500 ms off (APG, "ESC p")."""
    return ESC + b"p" + bytes([0, 25, 250])


def status_request(n: int = 1) -> bytes:
    """DLE EOT n: real-time status; 1 printer, 2 offline cause, 4 roll paper (APG, "DLE EOT")."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT takes 1, 2, 3 or 4")
    return DLE + b"\x04" + bytes([n])


def code128(data: str, *, height: int = 80, module: int = 2, hri: bool = True) -> bytes:
    """A CODE128 barcode with its human-readable text below.

    GS h n (height in dots), GS w n (module width), GS H n (HRI position: 2 below),
    GS k m=73 n d1...dn (APG, "GS h", "GS w", "GS H", "GS k"). An even number of digits goes
    in code set C ("{C", each byte a pair 00-99): half the width of code set B, so a long
    number still fits 58 mm paper; anything else in code set B ("{B").
    """
    if not data or not data.isascii() or any(not 32 <= ord(c) < 127 for c in data):
        raise ValueError("CODE128 here takes printable ASCII")
    if data.isdigit() and len(data) % 2 == 0:
        pairs = bytes(int(data[i : i + 2]) for i in range(0, len(data), 2))
        payload = b"{C" + pairs  # a pair is at most 99: never "{" (123), nothing to double
    else:
        payload = b"{B" + data.replace("{", "{{").encode("ascii")
    if len(payload) > 255:
        raise ValueError("CODE128 data is at most 253 characters")
    return (
        GS
        + b"h"
        + bytes([max(1, min(height, 255))])
        + GS
        + b"w"
        + bytes([max(2, min(module, 6))])
        + GS
        + b"H"
        + bytes([2 if hri else 0])
        + GS
        + b"k"
        + bytes([73, len(payload)])
        + payload
    )


def _qr_function(fn: int, data: bytes) -> bytes:
    """GS ( k pL pH cn=49 fn ...: the QR code functions (APG, "GS ( k", cn 49)."""
    length = len(data) + 2
    return GS + b"(k" + bytes([length & 0xFF, length >> 8, 49, fn]) + data


def qr(data: str, *, module: int = 6, correction: Literal["L", "M", "Q", "H"] = "M") -> bytes:
    """A native QR code: model 2 (fn 65), module size (fn 67), error correction (fn 69),
    store the data (fn 80), print it (fn 81)."""
    raw = data.encode("utf-8")
    if len(raw) > 7089:
        raise ValueError("too much data for a QR code")
    return (
        _qr_function(65, bytes([50, 0]))
        + _qr_function(67, bytes([max(1, min(module, 16))]))
        + _qr_function(69, bytes([{"L": 48, "M": 49, "Q": 50, "H": 51}[correction]]))
        + _qr_function(80, b"0" + raw)
        + _qr_function(81, b"0")
    )


def raster(width: int, height: int, rows: bytes) -> bytes:
    """GS v 0 m xL xH yL yH d1...dk: a raster bit image, normal density (APG, "GS v 0").
    `width` is in bytes (8 dots each); `rows` is width * height bytes, 1 = black."""
    if len(rows) != width * height:
        raise ValueError("raster data does not match its size")
    return GS + b"v0" + bytes([0, width & 0xFF, width >> 8, height & 0xFF, height >> 8]) + rows


@functools.lru_cache(maxsize=8)
def _logo_cached(digest: str, png: bytes, max_dots: int) -> bytes:
    from PIL import Image

    with Image.open(BytesIO(png)) as image:
        picture = image.convert("L")
    if picture.width > max_dots:
        ratio = max_dots / picture.width
        picture = picture.resize((max_dots, max(1, round(picture.height * ratio))))
    # Floyd-Steinberg dithering to one bit: grey becomes dot density, as thermal paper needs.
    bits = picture.convert("1")
    width_bytes = (bits.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, bits.height), 1)
    padded.paste(bits, (0, 0))
    # PIL's "1" mode packs 1 for white; the printer wants 1 for black.
    data = bytes(b ^ 0xFF for b in padded.tobytes())
    return raster(width_bytes, bits.height, data)


def logo(png: bytes, max_dots: int = 576) -> bytes:
    """A PNG as a raster image, dithered; cached, since the same logo heads every receipt."""
    return _logo_cached(hashlib.sha256(png).hexdigest(), png, max_dots)


# Signs the till's words use that cp437 and the other code pages ESC t selects may lack, with
# the nearest sign of the same width: a receipt reads "1 x Coffee", not "1 ? Coffee"; and the
# French and Spanish capitals cp437 lacks, without their accent ("A encaisser", not "? encaisser").
NEAREST = str.maketrans(
    {"×": "x", "•": "*", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "„": '"'}
    | dict(zip("ÀÂÁÈÊËÎÏÍÔÓÙÛÚŸ", "AAAEEEIIIOOUUUY", strict=True))
)


def text(line: str, codepage: str = "cp437") -> bytes:
    """Text in the printer's code page; a sign it lacks prints as its nearest (NEAREST), or as
    '?', never an error."""
    try:
        return line.encode(codepage)
    except UnicodeEncodeError:
        return line.translate(NEAREST).encode(codepage, errors="replace")


@dataclass
class Document:
    """Commands in order; `bytes()` is what goes to the transport."""

    codepage: str = "cp437"
    parts: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parts += [initialize(), code_page(self.codepage)]

    def add(self, *chunks: bytes) -> Document:
        self.parts.extend(chunks)
        return self

    def line(
        self,
        words: str = "",
        *,
        strong: bool = False,
        how: Align = "left",
        width: int = 1,
        height: int = 1,
    ) -> Document:
        if strong:
            self.parts.append(bold(True))
        if (width, height) != (1, 1):
            self.parts.append(size(width, height))
        if how != "left":
            self.parts.append(align(how))
        self.parts += [text(words, self.codepage), LF]
        if how != "left":
            self.parts.append(align("left"))
        if (width, height) != (1, 1):
            self.parts.append(size(1, 1))
        if strong:
            self.parts.append(bold(False))
        return self

    def bytes(self) -> bytes:
        return b"".join(self.parts)
