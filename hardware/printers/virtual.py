"""The virtual printer: decodes an ESC/POS stream and draws it as a thermal printer would.

It reads what hardware.printers.escpos emits; other commands are skipped by their length
(never a crash); it answers DLE EOT status requests; and it can listen on a TCP port as a
network printer, so tests and the demo print through the real network transport.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from hardware.printers.escpos import CODE_PAGES

PAGE_BY_NUMBER = {number: name for name, number in CODE_PAGES.items()}
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
)
DOT_WIDTH = {80: 576, 58: 384}  # printable dots at 203 dpi


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


def decode(stream: bytes) -> Decoded:
    """The elements an ESC/POS stream prints, in order."""
    out = Decoded()
    state: dict[str, Any] = {
        "bold": False,
        "width": 1,
        "height": 1,
        "align": "left",
        "page": "cp437",
        "bar_h": 162,
        "bar_w": 3,
        "hri": 0,
        "qr": b"",
        "qr_module": 3,
    }
    segments: list[Segment] = []
    pending = bytearray()

    def flush_text() -> None:
        if pending:
            segments.append(
                Segment(
                    bytes(pending).decode(state["page"], errors="replace"),
                    state["bold"],
                    state["width"],
                    state["height"],
                )
            )
            pending.clear()

    def end_line() -> None:
        flush_text()
        out.elements.append(TextLine(list(segments), state["align"]))
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


def _esc(stream: bytes, i: int, state: dict[str, Any], out: Decoded) -> int:
    cmd = stream[i + 1]
    arg = stream[i + 2] if i + 2 < len(stream) else 0
    if cmd == ord("@"):
        state.update(bold=False, width=1, height=1, align="left")
    elif cmd == ord("t"):
        state["page"] = PAGE_BY_NUMBER.get(arg, "cp437")
    elif cmd == ord("E"):
        state["bold"] = bool(arg & 1)
    elif cmd == ord("a"):
        state["align"] = {
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


def _gs(stream: bytes, i: int, state: dict[str, Any], out: Decoded) -> int:
    n = len(stream)
    cmd = stream[i + 1]
    arg = stream[i + 2] if i + 2 < n else 0
    if cmd == ord("!"):
        state["width"], state["height"] = (arg >> 4) + 1, (arg & 0x0F) + 1
    elif cmd == ord("h"):
        state["bar_h"] = arg
    elif cmd == ord("w"):
        state["bar_w"] = arg
    elif cmd == ord("H"):
        state["hri"] = arg
    elif cmd == ord("V"):
        out.elements.append(Cut())
        return i + 2 + (2 if arg in (65, 66, 97, 98) else 1)
    elif cmd == ord("k"):
        if arg >= 65:  # GS k m n d1...dn
            length = stream[i + 3] if i + 3 < n else 0
            data = stream[i + 4 : i + 4 + length]
            text = _code128_text(data) if arg == 73 else data.decode("ascii", errors="replace")
            out.elements.append(
                Barcode(text, state["bar_h"], state["bar_w"], state["hri"] in (2, 3, 50, 51))
            )
            return i + 4 + length
        end = stream.find(b"\x00", i + 3)  # GS k m d1...dk NUL
        end = n if end < 0 else end
        out.elements.append(
            Barcode(
                stream[i + 3 : end].decode("ascii", errors="replace"),
                state["bar_h"],
                state["bar_w"],
                state["hri"] in (2, 3, 50, 51),
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
                state["qr_module"] = body[2]
            elif fn == 80:
                state["qr"] = body[3:]
            elif fn == 81:
                out.elements.append(
                    QrCode(state["qr"].decode("utf-8", errors="replace"), state["qr_module"])
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


# --- drawing ------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def render(stream: bytes, paper_mm: int = 80) -> Image.Image:
    """The receipt as a picture: 203 dpi, 12 x 24 dot characters, as font A prints."""
    width = DOT_WIDTH.get(paper_mm, 576)
    decoded = decode(stream)
    pieces: list[Image.Image] = []
    fonts: dict[tuple[int, bool], Any] = {}
    for element in decoded.elements:
        pieces.append(_draw(element, width, fonts))
    total = sum(p.height for p in pieces) + 24
    page = Image.new("L", (width + 32, total), 255)
    y = 12
    for piece in pieces:
        page.paste(piece, (16, y))
        y += piece.height
    return page


def _draw(element: Element, width: int, fonts: dict[tuple[int, bool], Any]) -> Image.Image:
    if isinstance(element, TextLine):
        height = 24 * max((s.height for s in element.segments), default=1)
        line = Image.new("L", (width, height), 255)
        pen = ImageDraw.Draw(line)
        used = sum(12 * s.width * len(s.text) for s in element.segments)
        x = {"left": 0, "center": (width - used) // 2, "right": width - used}[element.align]
        for segment in element.segments:
            key = (segment.height, segment.bold)
            if key not in fonts:
                fonts[key] = _font(20 * segment.height)
            advance = 12 * segment.width
            top = height - 24 * segment.height
            for ch in segment.text:
                # Fixed pitch, as font A prints: each character in its own 12-dot cell.
                pen.text(
                    (x + (advance - 12) // 2, top),
                    ch,
                    font=fonts[key],
                    fill=0,
                    stroke_width=1 if segment.bold else 0,
                    stroke_fill=0,
                )
                x += advance
        return line
    if isinstance(element, Barcode):
        return _barcode(element, width)
    if isinstance(element, QrCode):
        return _qr(element, width)
    if isinstance(element, Raster):
        bits = Image.frombytes(
            "1", (element.width_bytes * 8, element.height), bytes(b ^ 0xFF for b in element.data)
        )
        canvas = Image.new("L", (width, element.height), 255)
        canvas.paste(bits.convert("L"), ((width - bits.width) // 2, 0))
        return canvas
    if isinstance(element, Feed):
        return Image.new("L", (width, 24 * element.lines), 255)
    if isinstance(element, Cut):
        canvas = Image.new("L", (width, 40), 255)
        pen = ImageDraw.Draw(canvas)
        for x in range(0, width, 16):
            pen.line([(x, 20), (x + 8, 20)], fill=0, width=2)
        return canvas
    return Image.new("L", (width, 1), 255)  # a drawer kick prints nothing


def _barcode(element: Barcode, width: int) -> Image.Image:
    from barcode import Code128
    from barcode.charsets import code128
    from barcode.writer import ImageWriter

    class Code128Whole(Code128):  # type: ignore[misc]  # python-barcode has no types
        """python-barcode 0.16.1 drops a leading "99" pair in code set C: it takes the
        value 99 after START C for a needless switch to C and folds it into the start
        (WhyNotHugo/python-barcode issue 251, fixed by pull 263, not yet released). A
        receipt number starting with 99 then drew as another number."""

        def _try_to_optimize(self, encoded: list[int]) -> list[int]:
            if encoded[:2] == [code128.START_CODES["C"], 99]:
                return encoded
            return super()._try_to_optimize(encoded)  # type: ignore[no-any-return]

    picture = Code128Whole(element.data, writer=ImageWriter()).render(
        {
            "module_width": 0.125 * element.module,
            "module_height": element.height / 8.0,
            "dpi": 203,
            "quiet_zone": 2.5,
            "write_text": element.hri,
            "font_size": 8,
            "text_distance": 3.0,
        },
    )
    picture = picture.convert("L")
    if picture.width > width:
        picture = picture.resize((width, picture.height))
    canvas = Image.new("L", (width, picture.height + 8), 255)
    canvas.paste(picture, ((width - picture.width) // 2, 4))
    return canvas


def _qr(element: QrCode, width: int) -> Image.Image:
    import segno

    buffer = BytesIO()
    segno.make(element.data, error="m").save(
        buffer, kind="png", scale=max(1, element.module), border=2
    )
    buffer.seek(0)
    with Image.open(buffer) as opened:
        picture = opened.convert("L")
    canvas = Image.new("L", (width, picture.height + 8), 255)
    canvas.paste(picture, ((width - picture.width) // 2, 4))
    return canvas


# --- a network printer on a TCP port ------------------------------------------------------

ONLINE = 0x12  # DLE EOT answers: bits 1 and 4 are always set (APG, "DLE EOT")
PAPER_END = 0x12 | 0x60  # n=4: bits 5 and 6, roll paper end
OFFLINE = 0x12 | 0x08  # n=1: bit 3, offline


class VirtualPrinter:
    """Listens like a printer on port 9100 does: each connection is a job; answers status."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        paper_mm: int = 80,
        on_job: Callable[[bytes], None] | None = None,
    ) -> None:
        self.paper_mm = paper_mm
        self.on_job = on_job
        self.jobs: list[bytes] = []
        self.paper_out = False
        self.offline = False
        self._changed = threading.Condition()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, port))
        self.listener.listen(8)
        self.host, self.port = self.listener.getsockname()[:2]
        self._thread = threading.Thread(target=self._accept, name="virtual-printer", daemon=True)
        self._thread.start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.jobs) >= count, timeout)
            return list(self.jobs)

    def picture(self, job: int = -1) -> Image.Image:
        return render(self.jobs[job], self.paper_mm)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._job, args=(conn,), daemon=True).start()

    def _job(self, conn: socket.socket) -> None:
        received = bytearray()
        with conn:
            conn.settimeout(30)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                received += chunk
                # Answer each real-time status request as it arrives (DLE EOT n).
                for n in _status_requests(chunk):
                    conn.sendall(bytes([self._status(n)]))
        printable = _without_status_requests(bytes(received))
        if not printable.strip(b"\x1b@"):
            return  # a status check only, no job
        if self.paper_out or self.offline:
            return  # a real printer would not print it either
        with self._changed:
            self.jobs.append(printable)
            self._changed.notify_all()
        if self.on_job is not None:
            self.on_job(printable)

    def _status(self, n: int) -> int:
        if n == 1:
            return OFFLINE if self.offline or self.paper_out else ONLINE
        if n == 2:
            return ONLINE | (0x20 if self.paper_out else 0)
        if n == 4:
            return PAPER_END if self.paper_out else ONLINE
        return ONLINE


def _status_requests(chunk: bytes) -> list[int]:
    found, start = [], 0
    while (at := chunk.find(b"\x10\x04", start)) >= 0 and at + 2 < len(chunk):
        found.append(chunk[at + 2])
        start = at + 3
    return found


def _without_status_requests(data: bytes) -> bytes:
    for n in (1, 2, 3, 4):
        data = data.replace(b"\x10\x04" + bytes([n]), b"")
    return data
