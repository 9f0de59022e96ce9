"""The scanner calibration's slip (posapp/adapters/calibration_slip.py): the code as a CODE128
barcode where the paper is wide enough, else said in words; zbar reads it back."""

from __future__ import annotations

from hardware.printers.render import render
from posapp.adapters.calibration_slip import TOO_LONG, fits, slip

DEMO = "XJ-0123456789CGSV_JX"


def test_the_code_prints_as_a_barcode_that_reads_back_on_80_mm() -> None:
    from pyzbar.pyzbar import decode as zbar

    assert fits(DEMO, 80)
    data = slip(DEMO, paper_width_mm=80, codepage="cp437", cut=True)
    assert b"\x1dk\x49" in data  # GS k m=73: CODE128
    assert DEMO in {s.data.decode() for s in zbar(render(data, 80))}


def test_too_long_a_code_for_the_paper_is_said_instead() -> None:
    assert not fits(DEMO, 58)
    data = slip(DEMO, paper_width_mm=58, codepage="cp437", cut=False)
    assert b"\x1dk" not in data
    assert TOO_LONG[:20].encode() in data
