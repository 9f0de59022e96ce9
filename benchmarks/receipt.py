"""Receipt encoding: time per receipt, bytes per receipt type, and the ratio against the same
receipt sent as one raster image (the way browser-based tills print: the page drawn, then
sent dot by dot with GS v 0). Target: ten times fewer bytes or better.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.printers import escpos
from hardware.printers.render import render
from posapp.adapters.printer import lay_out
from tests.hardware.test_printing import RECEIPTS


def as_raster(stream: bytes, paper_mm: int) -> bytes:
    picture = render(stream, paper_mm).convert("1")
    width_bytes = (picture.width + 7) // 8
    rows = bytes(b ^ 0xFF for b in picture.tobytes())
    return escpos.initialize() + escpos.raster(width_bytes, picture.height, rows) + escpos.cut()


def main() -> int:
    print(
        f"{'receipt':<12} {'paper':>5} {'ESC/POS B':>10} {'raster B':>10} {'ratio':>7} {'encode us':>10}"
    )
    ratios = []
    for paper in (80, 58):
        for kind, receipt in RECEIPTS.items():
            times = []
            for _ in range(200):
                start = time.perf_counter()
                data = lay_out(receipt, paper_width_mm=paper)
                times.append(time.perf_counter() - start)
            raster = as_raster(data, paper)
            ratio = len(raster) / len(data)
            ratios.append(ratio)
            print(
                f"{kind:<12} {paper:>4}mm {len(data):>10} {len(raster):>10} {ratio:>6.1f}x "
                f"{statistics.median(times) * 1e6:>10.0f}"
            )
    print(f"smallest ratio: {min(ratios):.1f}x fewer bytes than a raster image (target >= 10x)")
    redemption = len(lay_out(RECEIPTS["redemption"]))
    print(f"redemption receipt without a logo: {redemption} bytes (target < 1536)")
    return 0 if min(ratios) >= 10 and redemption < 1536 else 1


if __name__ == "__main__":
    raise SystemExit(main())
