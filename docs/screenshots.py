"""Takes the README's screenshots: the demo world, the real window, each screen and overlay.

    .venv/bin/python docs/screenshots.py

It starts its own Xvfb, 1024x768 and then 1920x1080, with no window manager, and runs the
till fullscreen as on a kiosk ([window] fullscreen = true): each picture is the whole
screen, overlays included. Needs xdotool (Debian xdotool); the pictures are read from the X
server by Pillow's ImageGrab (a dependency already), not ImageMagick. Writes docs/*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tkinter as tk
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import ImageGrab

from posapp.app import build_engine, build_window, start_scanner
from posapp.config import Config
from posapp.core.till_events import AmountKey, ShowScreen
from posapp.demo import DEMO_PIN, DemoWorld, simulator_window
from tests.gui_x.conftest import start_xvfb
from tests.helpers import wait_for

OUT = Path(__file__).resolve().parent


def pump(root: tk.Tk, condition: Any, timeout: float = 15.0) -> None:
    def pumped() -> Any:
        root.update()
        return condition()

    wait_for(pumped, timeout, str(condition), pause=0.01)
    for _ in range(20):  # let the last change paint before the picture is taken
        root.update()
        time.sleep(0.01)


def shot(root: tk.Tk, display: str, name: str, window: tk.Misc | None = None) -> None:
    """The whole screen (or one window), as the cashier sees it."""
    env = {**os.environ, "DISPLAY": display}
    # The pointer out of the way, in the corner: a button under it would show hovered.
    width, height = root.winfo_screenwidth(), root.winfo_screenheight()
    subprocess.run(["xdotool", "mousemove", str(width - 1), str(height - 1)], check=True, env=env)
    pump(root, lambda: True)
    box = None
    if window is not None:
        x, y = window.winfo_rootx(), window.winfo_rooty()
        box = (x, y, x + window.winfo_width(), y + window.winfo_height())
    ImageGrab.grab(bbox=box, xdisplay=display).convert("RGB").save(OUT / name)
    print("wrote", OUT / name)


def open_screen(window: Any, name: str) -> None:
    """F12, the manager PIN, then one of the manager menu's screens."""
    root = window.root
    window.act("manager")
    pump(root, lambda: type(window.overlay).__name__ == "ConfirmOverlay")
    window.overlay.pin = DEMO_PIN
    window.overlay.enter()
    pump(root, lambda: window.till.screen == "manager")
    if name != "manager":
        window.send(ShowScreen(name))
        pump(root, lambda: window.till.screen == name)


def cashier_1024(root: tk.Tk, display: str, window: Any, world: DemoWorld) -> None:
    world.simulator.scan("SVS_GC-500000000000001")
    pump(root, lambda: window.till.card is not None)
    shot(root, display, "cashier-1024.png")

    window.act("redeem")  # F2, then "12.5": $12.50
    for key in "12.5":
        window.send(AmountKey(key))
    pump(root, lambda: type(window.overlay).__name__ == "AmountOverlay")
    shot(root, display, "amount-entry.png")
    window.overlay.enter()
    pump(root, lambda: window.last_receipt is not None and window.till.phase == "card")
    shot(root, display, "cashier-after-redemption.png")

    window.act("use_all")  # F3: a one-key money action waits for Enter
    pump(root, lambda: type(window.overlay).__name__ == "ConfirmOverlay")
    shot(root, display, "confirm-full-balance.png")
    window.escape()

    window.act("cash_out")  # F8: the manager PIN on the confirm overlay
    pump(root, lambda: type(window.overlay).__name__ == "ConfirmOverlay")
    window.overlay.pin = DEMO_PIN[:2]
    shot(root, display, "manager-pin.png")
    window.escape()

    window.act("sell")  # F5: the denominations with their prices, or another amount
    pump(root, lambda: type(window.overlay).__name__ == "AmountOverlay")
    shot(root, display, "sell.png")
    window.escape()

    window.act("reports")  # F10
    pump(root, lambda: "X REPORT" in window.overlay.text.get("1.0", "end"))
    shot(root, display, "reports.png")
    window.escape()

    open_screen(window, "manager")
    shot(root, display, "manager-menu.png")
    window.send(ShowScreen("cards"))
    pump(root, lambda: window.till.screen == "cards")
    pump(root, lambda: bool(window.overlay.tree.get_children()))
    shot(root, display, "gift-cards.png")
    window.escape()  # back to the manager menu, which opened it

    window.send(ShowScreen("settings"))
    pump(root, lambda: window.till.screen == "settings")
    settings = window.overlay
    settings.sample.set("svs_gc-123456789012345")
    settings._test()
    settings.book.select(settings.tester)
    shot(root, display, "settings.png")
    window.escape()

    window.send(ShowScreen("preview"))
    pump(root, lambda: window.till.screen == "preview")
    pump(root, lambda: bool(window.overlay.list.get_children()))
    shot(root, display, "receipt-preview.png")
    window.escape()
    window.escape()  # the manager menu, then the till


def take(size: tuple[int, int], world: DemoWorld, config: Config) -> None:
    display = start_xvfb(*size)
    engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
    root = tk.Tk(screenName=display)
    window = build_window(
        root, config, engine, admin_token=world.made["admin_token"], sound=lambda _kind: None
    )
    engine.settler.start()
    scanner = start_scanner(config, window)
    pump(root, lambda: window.status.provider.startswith("provider: online"))
    if size == (1024, 768):
        cashier_1024(root, display, window, world)
    else:
        world.simulator.scan("SVS_GC-500000000000002")
        pump(root, lambda: window.till.card is not None)
        shot(root, display, "cashier-fullhd.png")
        panel = simulator_window(root, world, window).panel
        pump(root, lambda: panel.winfo_viewable())
        shot(root, display, "scanner-simulator.png", panel)
        panel.destroy()
    if scanner is not None:
        scanner.stop()
    window.close()
    engine.close()
    root.destroy()


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="posapp-shots-"))
    world = DemoWorld(folder)
    world.wait_ready()
    config = world.config(Config(), folder)
    config = replace(config, window=replace(config.window, fullscreen=True))
    for size in ((1024, 768), (1920, 1080)):
        take(size, world, config)
    world.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
