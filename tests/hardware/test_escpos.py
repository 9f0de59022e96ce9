from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from hardware.printers import escpos
from hardware.printers.decode import decode


def test_commands_are_the_bytes_of_the_reference() -> None:
    assert escpos.initialize() == b"\x1b@"
    assert escpos.code_page("cp437") == b"\x1bt\x00"
    assert escpos.code_page("cp858") == b"\x1bt\x13"
    assert escpos.bold(True) + escpos.bold(False) == b"\x1bE\x01\x1bE\x00"
    assert escpos.size(2, 2) == b"\x1d!\x11"
    assert escpos.size(1, 2) == b"\x1d!\x01"
    assert escpos.align("center") == b"\x1ba\x01"
    assert escpos.feed(3) == b"\x1bd\x03"
    assert escpos.cut() == b"\x1dVB\x00"
    assert escpos.drawer_kick() == b"\x1bp\x00\x19\xfa"
    assert escpos.status_request(4) == b"\x10\x04\x04"


def test_code128_with_human_readable_text() -> None:
    assert escpos.code128("12345", height=60) == (b"\x1dh\x3c\x1dw\x02\x1dH\x02\x1dkI\x07{B12345")
    assert escpos.code128("a{b").endswith(b"\x1dkI\x06{Ba{{b")
    # An even number of digits in code set C: one byte a pair, half as wide on paper.
    assert escpos.code128("1234").endswith(b"\x1dkI\x04{C\x0c\x22")
    assert escpos.code128("00991234").endswith(b"\x1dkI\x06{C\x00\x63\x0c\x22")
    with pytest.raises(ValueError, match="printable ASCII"):
        escpos.code128("café")


def test_native_qr() -> None:
    assert escpos.qr("AB", module=4, correction="M") == (
        b"\x1d(k\x04\x001A2\x00"  # fn 65: model 2
        b"\x1d(k\x03\x001C\x04"  # fn 67: module size 4
        b"\x1d(k\x03\x001E1"  # fn 69: error correction M
        b"\x1d(k\x05\x001P0AB"  # fn 80: store "AB"
        b"\x1d(k\x03\x001Q0"  # fn 81: print
    )


def test_raster_logo_is_dithered_and_cached() -> None:
    picture = Image.new("L", (16, 2), 255)
    picture.putpixel((0, 0), 0)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    encoded = escpos.logo(buffer.getvalue())
    assert encoded[:8] == b"\x1dv0\x00\x02\x00\x02\x00"  # GS v 0, 2 bytes wide, 2 rows
    assert encoded[8:] == b"\x80\x00\x00\x00"  # the one black dot, top left
    assert escpos.logo(buffer.getvalue()) is encoded  # the same logo is encoded once


def test_a_document_in_its_code_page() -> None:
    doc = escpos.Document("cp858").line("5 €", strong=True).line("x", how="right")
    assert doc.bytes() == (b"\x1b@\x1bt\x13\x1bE\x015 \xd5\n\x1bE\x00\x1ba\x02x\n\x1ba\x00")
    assert escpos.text("日本", "cp437") == b"??"


def test_the_virtual_printer_reads_every_code_set_back() -> None:
    for text in ("1234", "00991234", "12345", "a{b", "POSAPP-TEST"):
        assert decode(escpos.code128(text)).barcodes == [text]
    switched = escpos.GS + b"kI\x0c{C\x0c{Bab{{{C\x63"  # 12, "ab{", 99
    assert decode(switched).barcodes == ["12ab{99"]


def test_signs_a_code_page_lacks_print_as_their_nearest() -> None:
    """The second cashier trial: an item gift's receipt read "Items 1 ? Coffee"."""
    assert escpos.text("Items 1 × Coffee", "cp437") == b"Items 1 x Coffee"
    assert escpos.text("“Card” ••0001 – ok", "cp437") == b'"Card" **0001 - ok'
    assert escpos.text("1 × Coffee", "cp1252") == b"1 \xd7 Coffee"  # it has the sign: kept
