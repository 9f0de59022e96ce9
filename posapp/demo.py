"""`posapp demo`: everything on one machine, no hardware (product.md, "Running it").

The reference provider (or, with `--api square`, the fake of Square's Gift Cards API in
posapp/square_fake; with `--api adyen`, the fake Adyen in posapp/adyen_fake; with `--api newstore`,
the fake NewStore in posapp/newstore_fake) on a free loopback port with fresh demo cards, the scanner
simulator (a pseudo-terminal read by the real serial reader, with a button per demo card),
the virtual printer on its own port (printed to through the real network transport), and
the terminal. Closing the terminal stops the rest.
"""

from __future__ import annotations

import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from posapp.config import Config
from posapp.core.serial_number import shown
from posapp.core.serials import SerialPattern
from posapp.demo_cards import cards_now

if TYPE_CHECKING:
    import tkinter as tk

    from posapp.adyen_fake.app import FakeAdyen
    from posapp.demo_simulator import SimulatorStrip
    from posapp.newstore_fake.app import FakeNewStore
    from posapp.provider.store import Store
    from posapp.square_fake.app import FakeSquare
    from posapp.ui.window import CashierWindow

DEMO_PIN = "1234"
SQUARE_GAN = SerialPattern("Square gift card", r"^(7783\d{12})$", "code", "keep", "none")
# The fake Adyen's new virtual cards (a refund to a new card) have 19 digits.
ADYEN_CARD = SerialPattern("Adyen gift card", r"^(603628\d{13})$", "code", "keep", "none")
APIS = {"posapp": "Demo provider: ",
        "square": "Demo provider (a fake of Square's Gift Cards API): ",
        "adyen": "Demo provider (a fake of Adyen's Checkout and Stored Value APIs): ",
        "newstore": "Demo provider (a fake of NewStore's Gift Card API): "}  # fmt: skip
# The demo till's NewStore store id (config.md provider.store_id).
NEWSTORE_STORE = "demo-store"


class DemoWorld:
    """The provider, the virtual printer and the scanner simulator, started and stopped."""

    def __init__(self, folder: Path, api: str = "posapp") -> None:
        import socket

        import uvicorn

        from hardware.printers.virtual import VirtualPrinter
        from hardware.scanners.simulator import ScannerSimulator
        from posapp.provider.demo import BLANK_CODES, scan_text

        self.api = api
        self.store: Store | None = None
        self.fake: FakeSquare | None = None
        self.adyen: FakeAdyen | None = None
        self.newstore: FakeNewStore | None = None
        self.made: dict[str, Any]
        if api == "newstore":
            from posapp.newstore_fake.demo_cards import demo_newstore

            self.newstore, cards = demo_newstore()
            app = self.newstore.app()
            # Its blank cards are among its cards (printed, not sold yet).
            self.made = {"terminal_token": self.newstore.token, "admin_token": None}
            self.made |= {"cards": cards, "blank_cards": []}
        elif api == "adyen":
            from posapp.adyen_fake.demo_cards import demo_adyen

            self.adyen, cards = demo_adyen()
            app = self.adyen.app()
            # Its blank cards are among its cards: Adyen activates only the cards it knows.
            self.made = {"terminal_token": self.adyen.api_key, "admin_token": None}
            self.made |= {"cards": cards, "blank_cards": []}
        elif api == "square":
            from posapp.square_fake.app import demo_square

            self.fake, cards = demo_square()
            app = self.fake.app()
            self.made = {
                "terminal_token": self.fake.token,
                "admin_token": None,  # Square's cards are managed in Square's Dashboard
                "cards": cards,
                "blank_cards": [  # Square does not know them: selling one registers it
                    {"code": c, "shows": f"blank, to sell (ends {shown(c)})", "scan": scan_text(c)}
                    for c in BLANK_CODES
                ],
            }
        else:
            from posapp.provider.app import create_app
            from posapp.provider.demo import make_demo_store
            from posapp.provider.store import Store

            self.store = Store(f"sqlite:///{folder / 'provider.db'}", pool_size=4)
            self.made = reopen_demo_store(self.store) or make_demo_store(self.store)
            app = create_app(self.store)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        )
        self.thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self.sock]},
            name="demo-provider",
            daemon=True,
        )
        self.thread.start()
        self.printer = VirtualPrinter()
        self.simulator = ScannerSimulator()
        self.folder = folder

    def wait_ready(self, timeout: float = 15.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the demo provider did not start")
            time.sleep(0.01)

    def config(self, base: Config, folder: Path) -> Config:
        from posapp.adapters.secrets import hash_pin

        api: Literal["posapp", "square", "adyen", "newstore"] = "posapp"
        api = "square" if self.fake is not None else "adyen" if self.adyen is not None else api
        api = "newstore" if self.newstore is not None else api
        provider = replace(base.provider, url=self.url, timeout_s=5.0, api=api)
        if self.newstore is not None:
            from posapp.newstore_fake.app import BASE

            provider = replace(
                provider, url=self.url + BASE, store_id=NEWSTORE_STORE, cash_out_enabled=True
            )
        patterns = base.patterns
        if self.adyen is not None:
            from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE
            from posapp.adyen_fake.demo_cards import DEMO_BRAND

            provider = replace(
                provider,
                url=self.url + CHECKOUT,
                stored_value_url=self.url + STORED_VALUE,
                merchant_account=self.adyen.merchant_account,
                brand=DEMO_BRAND,
            )
            patterns = (*patterns, ADYEN_CARD)
        if self.fake is not None:
            provider = replace(provider, location_id=self.fake.location_id)
            # Square makes 16-digit GANs for the cards it issues (a refund to a new card):
            # the demo's scanner must read them too.
            patterns = (*patterns, SQUARE_GAN)
        return replace(
            base,
            provider=provider,
            patterns=patterns,
            scanner=replace(base.scanner, mode="both", port=self.simulator.path, terminator="CR"),
            printer=replace(
                base.printer, transport="network", host="127.0.0.1", port=self.printer.port
            ),
            manager=replace(base.manager, pin_hash=hash_pin(DEMO_PIN)),
            journal=replace(base.journal, path=str(folder / "journal.db")),
        )

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()
        self.printer.close()
        self.simulator.close()
        if self.store is not None:
            self.store.close()


def reopen_demo_store(store: Store) -> dict[str, Any] | None:
    """The demo store a previous `posapp demo` left, with fresh tokens (only their hashes
    are kept), or None for a new folder. Its ledger goes on, so the terminal's journal of
    the last run settles against the provider that saw its calls."""
    import sqlalchemy as sa

    from posapp.provider.demo import BLANK_CODES, DEMO_CARDS, scan_text
    from posapp.provider.schema import locations

    with store.read() as conn:
        found = conn.execute(
            sa.select(locations.c.store_id, locations.c.id)
            .where(locations.c.name == "Main")
            .order_by(locations.c.id)
        ).first()
    if found is None:
        return None
    store_id, location_id = int(found[0]), int(found[1])
    return {
        "store_id": str(store_id),
        "location_id": str(location_id),
        "admin_token": store.create_token(store_id, location_id, "admin", {"admin", "terminal"}),
        "terminal_token": store.create_token(store_id, location_id, "terminal", {"terminal"}),
        "cards": [
            {"code": c["code"], "shows": c["label"], "scan": scan_text(c["code"])}
            for c in DEMO_CARDS
        ],
        "blank_cards": [
            {"code": code, "shows": f"blank, to sell (ends {shown(code)})", "scan": scan_text(code)}
            for code in BLANK_CODES
        ],
    }


def demo_folder() -> Path:
    """The demo's provider and journal live in the user data folder: a demo stopped with a
    call in flight settles it when it starts again, as a till does."""
    from platformdirs import user_data_path

    folder = user_data_path("posapp") / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def describe(world: DemoWorld, receipts: Path, log: Path) -> str:
    lines = [
        APIS[world.api] + world.url,
        f"Virtual printer: 127.0.0.1:{world.printer.port}; every receipt is saved as a "
        f"picture in {receipts}",
        f"Scanner simulator: {world.simulator.path}",
        f"Manager PIN: {DEMO_PIN}",
        (
            # The fakes keep nothing (README): a run's folder goes when it stops.
            "Demo data: nothing is kept; this run's journal is in "
            f"{world.folder}, deleted when the demo stops"
            if world.api != "posapp"
            else f"Demo data (delete the folder to start afresh): {world.folder}"
        ),
        f"Log: {log}",
        "Demo cards, as the provider holds them now (scan one, or type it in the till):",
    ]
    lines += [f"  {scan.strip():<26} {words}" for scan, _last, words in cards_now(world)]
    return "\n".join(lines)


def receipts_folder() -> Path:
    """Where this run's receipts go: kept after the demo ends, one folder a run."""
    import time

    from platformdirs import user_data_path

    folder = user_data_path("posapp") / "demo-receipts" / time.strftime("%Y-%m-%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_receipts(world: DemoWorld, folder: Path, paper_mm: int) -> None:
    """Each job the virtual printer takes, drawn as the paper would look, to a numbered PNG."""
    from hardware.printers.render import render

    count = iter(range(1, 1_000_000))

    def save(job: bytes) -> None:
        render(job, paper_mm).save(folder / f"receipt-{next(count):03d}.png")

    world.printer.on_job = save


def run_demo(config: Config, *, window: bool, api: str = "posapp") -> int:
    import shutil
    import tempfile

    from posapp.app import speak
    from posapp.provider.extra import not_installed

    if missing := not_installed("The demo runs the reference provider"):
        print(missing, file=sys.stderr)
        return 2
    speak(config)  # the demo's receipts too, printed before its window opens
    # The reference provider's demo is kept between runs: what a stopped demo left in
    # flight settles when it starts again. The fakes keep nothing: their run is temporary.
    folder = demo_folder() if api == "posapp" else Path(tempfile.mkdtemp(prefix="posapp-demo-"))
    log = log_to_file(demo_folder() / "demo.log")
    world = DemoWorld(folder, api)
    receipts = receipts_folder()
    save_receipts(world, receipts, config.printer.paper_width_mm)
    try:
        world.wait_ready()
        print(describe(world, receipts, log), flush=True)
        demo_config = world.config(config, folder)
        if not window:
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_a: stop.set())
            print("Running without a window; Ctrl-C stops.", flush=True)
            stop.wait()
            return 0
        return _run_window(world, demo_config)
    finally:
        world.close()
        if api != "posapp":
            shutil.rmtree(folder, ignore_errors=True)


def log_to_file(path: Path) -> Path:
    """The demo's log goes to a file (INFO and up, redacted like every log line); the console
    keeps the card list readable and shows warnings only. The file keeps about two runs."""
    import logging
    from logging.handlers import RotatingFileHandler

    from posapp.redact import Redactor

    root = logging.getLogger()
    for handler in root.handlers:
        handler.setLevel(logging.WARNING)
    to_file = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=1, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    to_file.addFilter(Redactor())
    root.addHandler(to_file)
    root.setLevel(logging.INFO)
    return path


def _run_window(world: DemoWorld, config: Config) -> int:
    from posapp.app import build_engine, build_window, start_scanner, stop_on_sigterm
    from posapp.ui.tk_root import tk_root

    root = tk_root()  # before the engine: no screen, nothing else to close
    engine = build_engine(config, token=world.made["terminal_token"], start_settler=False)
    window = build_window(root, config, engine, admin_token=world.made["admin_token"])
    engine.settler.start()
    scanner = start_scanner(config, window)
    simulator_window(root, world, window)

    def close() -> None:
        if scanner is not None:
            scanner.stop()
        window.close()
        engine.close()
        root.destroy()

    window.on_close = close
    stop_on_sigterm(window)
    root.mainloop()
    return 0


def simulator_window(root: tk.Tk, world: DemoWorld, window: CashierWindow) -> SimulatorStrip:
    """The scanner simulator (posapp/demo_simulator.py): a button per demo card, saying what
    it holds now; a click "scans" it through the pty."""
    from posapp.demo_simulator import SimulatorStrip
    from posapp.i18n import _

    return SimulatorStrip(
        root,
        lambda: [(scan, f"{last}  {words}") for scan, last, words in cards_now(world)],
        world.simulator.scan,
        _("Manager PIN: {pin}").format(pin=DEMO_PIN),
        font=window.fonts["small"],
    )
