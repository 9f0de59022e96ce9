"""The till through the real X server: its own Xvfb, keys sent as XTest events by xdotool.

tests/gui hands synthetic events to widgets; this tier does what a cashier's keyboard and a
wedge scanner do: key events go to whatever window has the X focus, at a cashier's pace
(30-60 ms apart) or a scanner's burst (about 5 ms apart), while the test runs the Tk loop.
Each session runs twice: "kiosk" (no window manager, as on a bare till) and "openbox".
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import random
import re
import shutil
import subprocess
import tkinter as tk
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from hardware.printers.transports import NetworkTransport
from hardware.printers.virtual import VirtualPrinter
from posapp.adapters.secrets import hash_pin
from posapp.app import Engine, build_engine, build_window
from posapp.config import Config
from posapp.ui.window import CashierWindow
from tests.gui_x import scanner
from tests.helpers import wait_for
from tests.terminal.conftest import Provider, api, provider, terminal_config  # noqa: F401

PIN = "2468"
WIDTH, HEIGHT = 1024, 768
POINTER_ROOT = 1  # X's focus "to whichever window the pointer is in" (X.h, PointerRoot)
DEADLINE = 10.0  # generous: the machine may be busy; every wait ends as soon as it can
# What xdotool's `key` calls the characters a test types.
KEYSYMS = {"@": "at", ".": "period", ",": "comma", "-": "minus", "_": "underscore", " ": "space"}


def start_xvfb(width: int = WIDTH, height: int = HEIGHT) -> str:
    """Xvfb picks a free display number itself (-displayfd) and tells us which.

    It outlives the fixture and dies with this process (setpriv --pdeathsig): Tk keeps its
    connection to a display after its last window is destroyed, and Xlib ends the process
    when a display it is connected to goes away. Spawned without a Popen, which would warn
    that it still runs when this process ends."""
    read, write = os.pipe()
    os.set_inheritable(write, True)
    os.posix_spawnp(
        "setpriv",
        [
            *("setpriv", "--pdeathsig", "TERM"),
            *("Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24"),
            *("-nolisten", "tcp", "-noreset"),
        ],
        os.environ,
        file_actions=[(os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)],
    )
    os.close(write)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read, 16)  # blocks until Xvfb listens; an empty read: it died
        if not chunk:
            raise RuntimeError("Xvfb did not start")
        number += chunk
    os.close(read)
    return f":{number.decode().strip()}"


@dataclass
class XServer:
    """One private X display, with or without a window manager."""

    mode: str  # "kiosk": no window manager; "openbox"
    display: str

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display}

    def output(self, *args: str) -> str:
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=10)
        return done.stdout

    def client_windows(self) -> set[int]:
        """Every mapped window on the display that a client named with WM_CLASS: Tk's
        toplevels (the window manager's own windows are unmapped or unnamed)."""
        found = self.output("xdotool", "search", "--onlyvisible", "--classname", ".")
        return {int(line) for line in found.split()}

    def geometry(self, window: int) -> tuple[int, int, int, int]:
        """Where a window is on the screen, and its size: x, y, width, height."""
        info = self.output("xwininfo", "-id", str(window))
        values = {
            name: int(re.search(rf"{name}:\s+(-?\d+)", info).group(1))  # type: ignore[union-attr]
            for name in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
        }
        return tuple(values.values())  # type: ignore[return-value]

    def focus(self) -> int:
        return int(self.output("xdotool", "getwindowfocus", "-f").strip() or 0)

    def wrapper(self, toplevel: tk.Misc) -> int:
        """The X window that Tk wraps a toplevel in (the one with WM_CLASS, that a window
        manager reparents): the parent of the toplevel's own window."""
        tree = self.output("xwininfo", "-children", "-id", str(toplevel.winfo_id()))
        found = re.search(r"Parent window id: (0x[0-9a-f]+)", tree)
        assert found, tree
        return int(found.group(1), 16)


@pytest.fixture(scope="session", params=["kiosk", "openbox"])
def xserver(request: pytest.FixtureRequest) -> Iterator[XServer]:
    for tool in ("Xvfb", "xdotool", "openbox", "xprop", "setpriv"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: bash tests/run.sh installs it")
    # Tk objects an earlier tier left in reference cycles are freed now, on the Tk thread,
    # before this tier's threads (a provider, a worker) could trigger the collection.
    gc.collect()
    x = XServer(request.param, start_xvfb())
    manager = None
    if x.mode == "openbox":
        manager = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=x.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # A window manager says it runs by setting this on the root window (EWMH).
        wait_for(
            lambda: "window id" in x.output("xprop", "-root", "_NET_SUPPORTING_WM_CHECK"),
            DEADLINE,
            "openbox to manage the display",
            pause=0.02,
        )
    # The first xdotool run loads its libraries; later bursts keep the scanner's pace.
    x.output("xdotool", "getmouselocation")
    yield x
    if manager is not None:
        manager.terminate()
        manager.wait(DEADLINE)


@dataclass
class Till:
    x: XServer
    root: tk.Tk
    window: CashierWindow
    engine: Engine
    provider: Provider
    printer: VirtualPrinter

    # --- the Tk loop --------------------------------------------------------------------

    def pump_until(self, condition: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
        """Run the real Tk loop until the condition holds (never a bare sleep)."""

        def pumped() -> Any:
            self.root.update()
            return condition()

        return wait_for(pumped, timeout, what, pause=0.002)

    def settle(self) -> None:
        """Until no call runs, no key is held back and no result waits to be painted."""
        self.pump_until(
            lambda: (
                not self.held()
                and self.window.worker.results.empty()
                and not self.window.worker._callbacks
            ),
            "the window to be idle",
        )

    def settle_keys(self) -> None:
        """Until every key typed has been taken (a call may still be in flight)."""
        self.pump_until(
            lambda: not self.held() and self.window.worker.results.empty(), "the keys to be taken"
        )

    # --- keys through the X server ------------------------------------------------------

    def xdotool(self, *args: str) -> None:
        """xdotool runs beside the Tk loop, as a keyboard does: keys arrive while it runs."""
        process = subprocess.Popen(["xdotool", *args], env=self.x.env)
        try:
            self.pump_until(lambda: process.poll() is not None, f"xdotool {args[:3]}")
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
        assert process.returncode == 0, args
        # The window holds printable keys back until it knows a scanner did not send them.
        self.pump_until(lambda: not self.held(), "the keys held back to be given")

    def scan(self, text: str) -> None:
        """A USB wedge scanner: the text and Enter in one burst (tests/gui_x/scanner.py)."""
        scanner.scan(self.x.display, [*(KEYSYMS.get(c, c) for c in text), "Return"])
        # The window holds printable keys back until it knows a scanner did not send them.
        self.pump_until(lambda: not self.held(), "the keys held back to be given")

    def type(self, text: str, low_ms: int = 30, high_ms: int = 60) -> None:
        """A cashier's fingers: each key 30-60 ms after the one before."""
        self.type_keys([KEYSYMS.get(char, char) for char in text], low_ms, high_ms)

    def type_keys(self, keysyms: list[str], low_ms: int = 30, high_ms: int = 60) -> None:
        chain: list[str] = []
        for i, keysym in enumerate(keysyms):
            if i:
                chain += ["sleep", f"{random.uniform(low_ms, high_ms) / 1000:.3f}"]
            chain += ["key", "--delay", "0", keysym]
        self.xdotool(*chain)

    def click(self, widget: tk.Misc) -> None:
        """A touch (a click) in the middle of a widget, through the X server."""
        widget.update_idletasks()
        x = widget.winfo_rootx() + widget.winfo_width() // 2
        y = widget.winfo_rooty() + widget.winfo_height() // 2
        self.xdotool("mousemove", str(x), str(y), "click", "1")

    def key(self, *keysyms: str) -> None:
        """Keys a person presses one by one (F2, Return, Escape), 80 ms apart."""
        self.xdotool("key", "--delay", "80", *keysyms)

    # --- the screen and the ledger ------------------------------------------------------

    # What the cashier sees (posapp/ui/window.py's docstring names what a test reads).

    def held(self) -> list[Any]:
        return list(self.window.keys.held)

    def says(self) -> str:
        return str(self.window.panel.message.cget("text"))

    def balance_shown(self) -> str:
        return str(self.window.panel.balance.cget("text"))

    def serial_shown(self) -> str:
        return str(self.window.panel.serial.cget("text"))

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.provider.made['admin_token']}"}

    def ledger_balance(self, code: str) -> int:
        gifts = httpx.get(
            f"{self.provider.server.url}/v1/gift-cards",
            params={"code": code},
            headers=self.admin(),
        ).json()
        return int(gifts[0]["balance"])

    def ledger_gift(self, code: str) -> dict[str, Any]:
        """The card as the provider's admin list has it."""
        gifts = httpx.get(
            f"{self.provider.server.url}/v1/gift-cards",
            params={"code": code},
            headers=self.admin(),
        ).json()
        return dict(gifts[0])

    def ledger_transactions(self, code: str) -> list[dict[str, Any]]:
        """The provider's transactions on one card (the demo cards start with none)."""
        terminal = {"Authorization": f"Bearer {self.provider.made['terminal_token']}"}
        gift = httpx.get(
            f"{self.provider.server.url}/v1/gift-cards",
            params={"code": code},
            headers=self.admin(),
        ).json()[0]
        found = httpx.get(
            f"{self.provider.server.url}/v1/transactions",
            params={"limit": 100},
            headers=terminal,
        ).json()
        return [t for t in found if t["gift_id"] == gift["id"]]

    def journal(self) -> list[Any]:
        return self.engine.journal.entries()

    def shot(self, name: str) -> None:
        """The screen as a person sees it, to look at: with POSAPP_SHOTS=DIR (a folder),
        saved as DIR/NAME-MODE.png (MODE: kiosk or openbox)."""
        folder = os.environ.get("POSAPP_SHOTS", "")
        if folder and Path(folder).is_dir():
            from PIL import ImageGrab

            self.root.update()
            path = Path(folder) / f"{name}-{self.x.mode}.png"
            ImageGrab.grab(xdisplay=self.x.display).save(path)


@functools.cache
def pin_hash() -> str:
    return hash_pin(PIN)  # scrypt, slow on purpose: once per session, not once per test


def make_config(
    url: str, timeout_s: float = 5.0, *, fullscreen: bool = False, locale: str = "en_US"
) -> Config:
    config = terminal_config(url, timeout_s=timeout_s)  # a 2 s provider is slow, not down
    return replace(
        config,
        store=replace(config.store, locale=locale),
        manager=replace(config.manager, pin_hash=pin_hash()),
        window=replace(config.window, fullscreen=fullscreen),
    )


@pytest.fixture
def provider_timeout_s() -> float:
    """The provider's timeout_s (config.md); a test parametrizes it to change it."""
    return 5.0


@pytest.fixture
def store_locale() -> str:
    """The store's locale (config.md [store]); a test parametrizes it to change it."""
    return "en_US"


@pytest.fixture
def till(
    xserver: XServer,
    provider: Provider,  # noqa: F811
    tmp_path: Path,
    provider_timeout_s: float,
    store_locale: str,
) -> Iterator[Till]:
    """posapp as posapp/app.py builds it, on the private display, with the keyboard's focus
    in its scan field: fullscreen in the kiosk, a window among others with openbox."""
    config = make_config(
        provider.proxy.url,
        provider_timeout_s,
        fullscreen=xserver.mode == "kiosk",
        locale=store_locale,
    )
    # No automatic collection while the window lives, nor until the test is over (see
    # pytest_runtest_protocol below): a collection that a worker thread's allocation
    # triggers would free Tk objects there, and Tcl refuses calls from other threads ("main
    # thread is not in main loop"; for the interpreter itself, an abort of the whole run).
    gc.disable()
    made = open_till(xserver, provider, config, tmp_path / "journal.db")
    yield made
    close_till(made)


def open_till(
    xserver: XServer,
    provider: Provider,  # noqa: F811
    config: Config,
    journal: Path,
    config_path: Path | None = None,
    *,
    printer_from_config: bool = False,
) -> Till:
    """`config_path`: the file the config was read from, for Settings' Save and the PIN set
    while the till runs; `printer_from_config`: the printer [printer] names, as `posapp`
    builds it, instead of this test's virtual printer on a port."""
    if xserver.mode == "kiosk":
        # The display as a kiosk starts: focus PointerRoot. A window an earlier test started
        # in another process (a demo, check --scan) that took the focus itself and is gone
        # leaves it on the root window, where this till would wait for it in vain.
        scanner.focus_pointer_root(xserver.display)
    engine = build_engine(
        config, token=provider.made["terminal_token"], journal=journal, start_settler=False
    )
    engine.client.backoff = (0.01, 0.02)
    engine.settler.backoff = (0.05, 0.1)
    printer = VirtualPrinter()
    root = tk.Tk(screenName=xserver.display)  # the window sizes itself ([window])
    window = build_window(
        root,
        config,
        engine,
        config_path=config_path,
        admin_token=provider.made["admin_token"],
        transport=None if printer_from_config else NetworkTransport("127.0.0.1", printer.port),
        sound=lambda _kind: None,
    )
    engine.settler.start()
    made = Till(xserver, root, window, engine, provider, printer)
    try:
        made.pump_until(root.winfo_viewable, "the window to be mapped")
        ours = {root.winfo_id(), xserver.wrapper(root)}
        if xserver.mode == "kiosk":
            # No window manager: the X server's focus stays PointerRoot, so keys go to the
            # window under the pointer, which the fullscreen till always is.
            ours.add(POINTER_ROOT)
        # The keyboard's focus is the window's own doing: nothing here gives it.
        made.pump_until(
            lambda: xserver.focus() in ours and root.focus_get() is window.scan_field,
            "the keyboard's focus in the till's scan field",
        )
        made.settle()
    except BaseException:
        close_till(made)
        raise
    return made


def close_till(made: Till) -> None:
    made.window.close()
    made.window.worker.close(wait=True)
    made.engine.close()
    made.printer.close()
    with contextlib.suppress(tk.TclError):
        made.root.destroy()


@pytest.fixture
def adyen_till(
    xserver: XServer,
    provider: Provider,  # noqa: F811  (tests/terminal/conftest.py's fixture, imported above)
    tmp_path: Path,
) -> Iterator[Till]:
    """The till as tests/gui_x/conftest.py opens it, configured for Adyen (issue 21.1's keys,
    both bases on the fake's one address behind the proxy). Adyen has no admin token."""
    assert provider.adyen is not None
    config = provider.config(provider.proxy.url, timeout_s=5.0)
    config = replace(
        config,
        manager=replace(config.manager, pin_hash=pin_hash()),
        window=replace(config.window, fullscreen=xserver.mode == "kiosk"),
    )
    provider.made.setdefault("admin_token", None)
    gc.disable()  # as the till fixture: no collection on a worker thread while Tk lives
    made = open_till(xserver, provider, config, tmp_path / "journal.db")
    yield made
    close_till(made)
