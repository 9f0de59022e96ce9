"""The virtual printer's picture: decoded ESC/POS drawn as a thermal printer prints it
(203 dpi, 12 x 24 dot characters as font A), for the preview, the folder printer and tests.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from hardware.printers.decode import Barcode, Cut, Element, Feed, QrCode, Raster, TextLine, decode

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
)
DOT_WIDTH = {80: 576, 58: 384}  # printable dots at 203 dpi
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int) -> Font:
    for path in FONT_PATHS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def render(stream: bytes, paper_mm: int = 80) -> Image.Image:
    """The receipt as a picture: 203 dpi, 12 x 24 dot characters, as font A prints."""
    width = DOT_WIDTH.get(paper_mm, 576)
    decoded = decode(stream)
    pieces: list[Image.Image] = []
    fonts: dict[tuple[int, bool], Font] = {}
    for element in decoded.elements:
        pieces.append(_draw(element, width, fonts))
    total = sum(p.height for p in pieces) + 24
    page = Image.new("L", (width + 32, total), 255)
    y = 12
    for piece in pieces:
        page.paste(piece, (16, y))
        y += piece.height
    return page


def _draw(element: Element, width: int, fonts: dict[tuple[int, bool], Font]) -> Image.Image:
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
