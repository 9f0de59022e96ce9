"""Takes the README's German pictures (issue 25 point 1): the cashier screen with a card
after a redemption, and that redemption's receipt as the virtual printer prints it.

    .venv/bin/python docs/screenshots_de.py

The demo world, the real window at 1024x768 on its own Xvfb with no window manager, with
`[terminal] language = "de"` and `[store] locale = "de_DE"` (amounts as a German store
writes them). Writes docs/de-cashier.png and docs/de-receipt.png.
"""

from __future__ import annotations

import sys
import tempfile
import tkinter as tk
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docs.screenshots import OUT, pump, shot
from hardware.printers.render import render
from posapp.adapters.printer import lay_out
from posapp.app import build_engine, build_window, speak, start_scanner
from posapp.config import Config
from posapp.core.till_events import AmountKey
from posapp.demo import DemoWorld
from tests.gui_x.conftest import start_xvfb


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="posapp-shots-de-"))
    world = DemoWorld(folder)
    world.wait_ready()
    config = world.config(Config(), folder)
    config = replace(
        config,
        window=replace(config.window, fullscreen=True),
        terminal=replace(config.terminal, language="de", cashier="Anna"),
        store=replace(config.store, locale="de_DE"),
    )
    speak(config)
    display = start_xvfb(1024, 768)
    engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
    root = tk.Tk(screenName=display)
    window = build_window(
        root, config, engine, admin_token=world.made["admin_token"], sound=lambda _kind: None
    )
    engine.settler.start()
    scanner = start_scanner(config, window)
    pump(root, lambda: window.till.currency)
    world.simulator.scan("SVS_GC-500000000000001")
    pump(root, lambda: window.till.card is not None)
    window.act("redeem")  # F2, then "12.5": 12,50
    for key in "12.5":
        window.send(AmountKey(key))
    pump(root, lambda: type(window.overlay).__name__ == "AmountOverlay")
    window.overlay.enter()
    pump(root, lambda: window.services_.last.receipt is not None and window.till.phase == "card")
    shot(root, display, "de-cashier.png")
    receipt = window.services_.last.receipt
    assert receipt is not None
    path = OUT / "de-receipt.png"
    render(lay_out(receipt, paper_width_mm=58), 58).save(path)
    print("wrote", path)
    if scanner is not None:
        scanner.stop()
    window.close()
    engine.close()
    root.destroy()
    world.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
