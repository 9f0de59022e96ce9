"""Takes the README's screenshots: the demo world, the real window under Xvfb, each screen.

    Xvfb :99 -screen 0 1920x1080x24 &  DISPLAY=:99 .venv/bin/python docs/screenshots.py

Needs imagemagick's `import` (Debian imagemagick). Writes docs/*.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import tkinter as tk
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posapp.app import build_engine, build_window, start_scanner
from posapp.config import Config
from posapp.demo import DEMO_PIN, DemoWorld, simulator_window
from posapp.ui import screens
from posapp.ui.dialogs import AmountDialog, PinDialog
from tests.gui.conftest import pump_until

OUT = Path(__file__).resolve().parent


def pump(root: tk.Tk, condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    pump_until(root, condition, timeout, pause=0.01)
    for _ in range(20):  # let the last change paint before the picture is taken
        root.update()
        time.sleep(0.01)


def shot(widget: tk.Misc, name: str) -> None:
    widget.update()
    subprocess.run(["import", "-window", hex(widget.winfo_id()), str(OUT / name)], check=True)
    print("wrote", OUT / name)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="posapp-shots-"))
    world = DemoWorld(folder)
    world.wait_ready()
    config = world.config(Config(), folder)
    engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
    for size, suffix in (("1024x768", "1024"), ("1920x1080", "fullhd")):
        root = tk.Tk()
        root.geometry(f"{size}+0+0")
        window = build_window(
            root, config, engine, admin_token=world.made["admin_token"], sound=lambda _kind: None
        )
        scanner = start_scanner(config, window)
        pump(root, lambda: window.status.provider.startswith("provider: online"))
        world.simulator.scan("SVS_GC-500000000000001")
        pump(root, lambda: window.gift is not None)
        shot(root, f"cashier-{suffix}.png")
        if suffix == "1024":
            window.do_redeem()
            dialog = next(w for w in root.winfo_children() if isinstance(w, AmountDialog))
            for key in "2500":
                dialog.press(key)
            shot(dialog, "amount-entry.png")
            dialog.ok()
            pump(root, lambda: window.last_receipt is not None)
            shot(root, "cashier-after-redemption.png")
            screens.PreviewScreen(window)
            pump(root, lambda: True)
            shot(
                next(w for w in root.winfo_children() if isinstance(w, screens.PreviewScreen)),
                "receipt-preview.png",
            )
            window.with_pin("reverse", "reverse this transaction", lambda: None)
            pin = next(w for w in root.winfo_children() if isinstance(w, PinDialog))
            pin.value.set(DEMO_PIN[:2])
            shot(pin, "manager-pin.png")
            pin.destroy()
            cards = screens.CardsScreen(window)
            pump(root, lambda: bool(cards.tree.get_children()))
            shot(cards, "gift-cards.png")
            reports = screens.ReportsScreen(window)
            pump(root, lambda: "X REPORT" in reports.text.get("1.0", "end"))
            shot(reports, "reports.png")
            settings = screens.SettingsScreen(window)
            settings.sample.set("svs_gc-123456789012345")
            settings._test()
            pump(root, lambda: True)
            shot(settings, "settings.png")
            panel = simulator_window(root, world, __import__("tkinter.ttk", fromlist=["ttk"]))
            pump(root, lambda: True)
            shot(panel, "scanner-simulator.png")
        if scanner is not None:
            scanner.stop()
        window.close()
        root.destroy()
    engine.close()
    world.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
