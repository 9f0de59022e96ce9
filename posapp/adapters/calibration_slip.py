"""The scanner calibration's slip (issue 25.2): the calibration code as a CODE128 barcode on
the receipt printer, for a scanner that reads paper better than a screen. Pure bytes."""

from __future__ import annotations

from hardware.printers import escpos
from posapp.i18n import N_, _

TITLE = N_("Scanner calibration")
HOW = N_("Scan this barcode once at the till: F12, Calibrate the scanner.")
TOO_LONG = N_("This code is too long for this paper: scan it from the till's screen.")
# escpos.code128 draws a module 2 dots wide (GS w 2, its narrowest); the paper's print width
# in dots at 203 dpi: 576 on 80 mm paper, 384 on 58 mm.
DOTS = {80: 576, 58: 384}


def fits(code: str, paper_width_mm: int) -> bool:
    """A CODE128 set B symbol is 11 modules a character, with start, check and stop 35."""
    return (11 * (len(code) + 1) + 35) * 2 <= DOTS.get(paper_width_mm, 384)


def slip(code: str, *, paper_width_mm: int, codepage: str, cut: bool) -> bytes:
    columns = escpos.columns(paper_width_mm)
    doc = escpos.Document(codepage)
    doc.line(_(TITLE)[:columns], strong=True, how="center")
    for line in _wrap(_(HOW), columns):
        doc.line(line)
    doc.line()
    if fits(code, paper_width_mm):
        doc.add(escpos.align("center"), escpos.code128(code, height=100), escpos.LF)
        doc.add(escpos.align("left"))
    else:
        doc.line(code[:columns], how="center")
        for line in _wrap(_(TOO_LONG), columns):
            doc.line(line)
    doc.add(escpos.feed(3))
    if cut:
        doc.add(escpos.cut())
    return doc.bytes()


def _wrap(text: str, columns: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, columns) or [""]
