"""The virtual printer's reader: an ESC/POS stream into the elements it prints.

It reads what hardware.printers.escpos emits; other commands are skipped by their length
(never a crash), and DLE EOT status requests are noted. Tests read receipts back with
`decode`; hardware.printers.render draws what it finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hardware.printers.escpos import CODE_PAGES

PAGE_BY_NUMBER = {number: name for name, number in CODE_PAGES.items()}


@dataclass
class Segment:
    text: str
    bold: bool
    width: int
    height: int


@dataclass
class TextLine:
    segments: list[Segment]
    align: str

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class Barcode:
    data: str
    height: int
    module: int
    hri: bool


@dataclass
class QrCode:
    data: str
    module: int


@dataclass
class Raster:
    width_bytes: int
    height: int
    data: bytes


@dataclass
class Feed:
    lines: int


@dataclass
class Cut:
    pass


@dataclass
class DrawerKick:
    pass


Element = TextLine | Barcode | QrCode | Raster | Feed | Cut | DrawerKick

# ESC commands we do not draw, by the number of parameter bytes they take.
_ESC_PARAMS = {
    ord("@"): 0,
    ord("t"): 1,
    ord("E"): 1,
    ord("a"): 1,
    ord("d"): 1,
    ord("p"): 3,
    ord("!"): 1,
    ord("-"): 1,
    ord("J"): 1,
    ord("M"): 1,
    ord("G"): 1,
    ord("R"): 1,
    ord("r"): 1,
    ord("2"): 0,
    ord("3"): 1,
    ord("V"): 1,
    ord("{"): 1,
    ord("U"): 1,
    ord(" "): 1,
    ord("$"): 2,
    ord("\\"): 2,
}
_GS_PARAMS = {
    ord("!"): 1,
    ord("h"): 1,
    ord("w"): 1,
    ord("H"): 1,
    ord("f"): 1,
    ord("B"): 1,
    ord("L"): 2,
    ord("W"): 2,
    ord("b"): 1,
    ord("a"): 1,
    ord("r"): 1,
    ord("I"): 1,
    ord("P"): 2,
}


@dataclass
class Decoded:
    elements: list[Element] = field(default_factory=list)
    status_requests: list[int] = field(default_factory=list)
    skipped: int = 0  # commands we do not know, skipped by their length

    @property
    def lines(self) -> list[str]:
        return [e.text for e in self.elements if isinstance(e, TextLine)]

    @property
    def barcodes(self) -> list[str]:
        return [e.data for e in self.elements if isinstance(e, Barcode)]


def _code128_text(data: bytes) -> str:
    """GS k m=73's data as the text it encodes: "{A", "{B" and "{C" switch code sets (in C
    each byte is a pair of digits, 00-99), "{{" is a "{"; other "{x" functions print
    nothing (APG, "GS k", CODE128)."""
    out: list[str] = []
    charset = "B"
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == ord("{") and i + 1 < len(data):
            after = chr(data[i + 1])
            i += 2
            if after in "ABC":
                charset = after
            elif after == "{":
                out.append("{")
            continue
        out.append(f"{byte:02d}" if charset == "C" and byte < 100 else chr(byte))
        i += 1
    return "".join(out)


@dataclass(slots=True)
class _Mode:
    """How the next text and codes print: what ESC @ resets and the commands set."""

    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"
    page: str = "cp437"
    bar_h: int = 162
    bar_w: int = 3
    hri: int = 0
    qr: bytes = b""
    qr_module: int = 3


def decode(stream: bytes) -> Decoded:
    """The elements an ESC/POS stream prints, in order."""
    out = Decoded()
    state = _Mode()
    segments: list[Segment] = []
    pending = bytearray()

    def flush_text() -> None:
        if pending:
            segments.append(
                Segment(
                    bytes(pending).decode(state.page, errors="replace"),
                    state.bold,
                    state.width,
                    state.height,
                )
            )
            pending.clear()

    def end_line() -> None:
        flush_text()
        out.elements.append(TextLine(list(segments), state.align))
        segments.clear()

    i, n = 0, len(stream)
    while i < n:
        byte = stream[i]
        if byte == 0x0A:
            end_line()
            i += 1
        elif byte == 0x1B and i + 1 < n:
            flush_text()
            i = _esc(stream, i, state, out)
        elif byte == 0x1D and i + 1 < n:
            flush_text()
            i = _gs(stream, i, state, out)
        elif byte == 0x10 and i + 2 < n and stream[i + 1] in (0x04, 0x05, 0x14):
            if stream[i + 1] == 0x04:
                out.status_requests.append(stream[i + 2])
            i += 3
        elif byte < 0x20:
            i += 1  # CR and other controls: nothing to draw
        else:
            pending.append(byte)
            i += 1
    if pending or segments:
        end_line()
    return out


def _esc(stream: bytes, i: int, state: _Mode, out: Decoded) -> int:
    cmd = stream[i + 1]
    arg = stream[i + 2] if i + 2 < len(stream) else 0
    if cmd == ord("@"):
        state.bold, state.width, state.height, state.align = False, 1, 1, "left"
    elif cmd == ord("t"):
        state.page = PAGE_BY_NUMBER.get(arg, "cp437")
    elif cmd == ord("E"):
        state.bold = bool(arg & 1)
    elif cmd == ord("a"):
        state.align = {
            0: "left",
            1: "center",
            2: "right",
            48: "left",
            49: "center",
            50: "right",
        }.get(arg, "left")
    elif cmd == ord("d"):
        out.elements.append(Feed(arg))
    elif cmd == ord("p"):
        out.elements.append(DrawerKick())
    params = _ESC_PARAMS.get(cmd)
    if params is None:
        out.skipped += 1
        params = 0
    return i + 2 + params


def _gs(stream: bytes, i: int, state: _Mode, out: Decoded) -> int:
    n = len(stream)
    cmd = stream[i + 1]
    arg = stream[i + 2] if i + 2 < n else 0
    if cmd == ord("!"):
        state.width, state.height = (arg >> 4) + 1, (arg & 0x0F) + 1
    elif cmd == ord("h"):
        state.bar_h = arg
    elif cmd == ord("w"):
        state.bar_w = arg
    elif cmd == ord("H"):
        state.hri = arg
    elif cmd == ord("V"):
        out.elements.append(Cut())
        return i + 2 + (2 if arg in (65, 66, 97, 98) else 1)
    elif cmd == ord("k"):
        if arg >= 65:  # GS k m n d1...dn
            length = stream[i + 3] if i + 3 < n else 0
            data = stream[i + 4 : i + 4 + length]
            text = _code128_text(data) if arg == 73 else data.decode("ascii", errors="replace")
            out.elements.append(
                Barcode(text, state.bar_h, state.bar_w, state.hri in (2, 3, 50, 51))
            )
            return i + 4 + length
        end = stream.find(b"\x00", i + 3)  # GS k m d1...dk NUL
        end = n if end < 0 else end
        out.elements.append(
            Barcode(
                stream[i + 3 : end].decode("ascii", errors="replace"),
                state.bar_h,
                state.bar_w,
                state.hri in (2, 3, 50, 51),
            )
        )
        return end + 1
    elif cmd == ord("(") and i + 4 < n:  # GS ( x pL pH data: every GS ( function has a length
        function = stream[i + 2]
        length = stream[i + 3] | (stream[i + 4] << 8)
        body = stream[i + 5 : i + 5 + length]
        if function == ord("k") and len(body) >= 2 and body[0] == 49:
            fn = body[1]
            if fn == 67:
                state.qr_module = body[2]
            elif fn == 80:
                state.qr = body[3:]
            elif fn == 81:
                out.elements.append(
                    QrCode(state.qr.decode("utf-8", errors="replace"), state.qr_module)
                )
        else:
            out.skipped += 1
        return i + 5 + length
    elif cmd == ord("v") and i + 7 < n and stream[i + 2] == ord("0"):
        width = stream[i + 4] | (stream[i + 5] << 8)
        height = stream[i + 6] | (stream[i + 7] << 8)
        data = stream[i + 8 : i + 8 + width * height]
        out.elements.append(Raster(width, height, bytes(data)))
        return i + 8 + width * height
    params = _GS_PARAMS.get(cmd)
    if params is None:
        out.skipped += 1
        params = 0
    return i + 2 + params
