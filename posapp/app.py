"""The one composition root: real adapters in, the terminal's engine and its window out.

The adapters are imported where they are built, not at the top: `posapp` shows its window
first and loads the network stack (httpx, pydantic) while the cashier looks at it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from posapp.config import Config, till_settings
from posapp.i18n import use

if TYPE_CHECKING:
    import tkinter as tk

    import httpx

    from hardware.printers.transports import Transport
    from hardware.scanners.serial import SerialScanner
    from posapp.adapters.adyen import AdyenClient
    from posapp.adapters.api_client import ProviderClient
    from posapp.adapters.journal import Journal
    from posapp.adapters.newstore import NewStoreClient
    from posapp.adapters.secrets import ManagerPin
    from posapp.adapters.settings_file import NoSettingsFile, SettingsFile
    from posapp.adapters.square import SquareClient
    from posapp.core.receipt import Receipt
    from posapp.terminal.service import Terminal
    from posapp.terminal.settle import Settler
    from posapp.ui.host import Services
    from posapp.ui.window import CashierWindow


def journal_path(config: Config) -> Path:
    if config.journal.path:
        return Path(config.journal.path).expanduser()
    from platformdirs import user_data_path

    return user_data_path("posapp") / "journal.db"


@dataclass
class Engine:
    """Everything the terminal does, without its window."""

    config: Config
    client: ProviderClient | SquareClient | AdyenClient | NewStoreClient
    journal: Journal
    terminal: Terminal
    settler: Settler
    pin: ManagerPin

    def close(self) -> None:
        self.settler.stop()
        self.client.close()
        self.journal.close()


def build_engine(
    config: Config,
    *,
    token: str | None = None,
    transport: httpx.BaseTransport | None = None,
    journal: Path | None = None,
    cashier: str | None = None,
    start_settler: bool = True,
) -> Engine:
    from posapp.adapters.journal import Journal
    from posapp.adapters.providers import provider_for
    from posapp.adapters.secrets import ManagerPin, token_for
    from posapp.deadline import deadline_s
    from posapp.redact import hide
    from posapp.terminal.service import Terminal
    from posapp.terminal.settle import Settler

    token = token if token is not None else token_for(config.provider.url)
    hide(token)  # the log was set up before the keyring was read: from now on, removed
    client = provider_for(config, token, transport=transport)
    book = Journal(journal or journal_path(config))
    book.keeps_last_known = config.offline.rules.on  # only a store that sells offline pays it
    # A call left in flight by a till that stopped may reach the provider until the till's
    # whole wait for it is over: until then "not found" is not believed (settle.py).
    settler = Settler(
        book, client, locale=config.store.locale, in_flight_s=deadline_s(config.provider)
    )
    terminal = Terminal(
        till_settings(config), client, book, cashier=cashier, on_unknown=settler.wake
    )
    terminal.shift.resume_sign_in()  # who was signed in before a restart stays (journal version 10)
    engine = Engine(
        config, client, book, terminal, settler, ManagerPin(config.manager.pin_hash, book)
    )
    if start_settler:
        settler.start()
    return engine


def build_window(
    root: tk.Tk,
    config: Config,
    engine: Engine,
    *,
    config_path: Path | None = None,
    admin_token: str | None = None,
    transport: Transport | None = None,
    sound: Callable[[str], None] | None = None,
) -> CashierWindow:
    """The cashier window over an engine; the settler reports to its status bar, and what
    it settled to the panel and on a slip."""
    from posapp.ui.settled import announce
    from posapp.ui.window import CashierWindow

    window = CashierWindow(root, config, sound=sound)
    window.attach(
        services_for(
            config,
            engine,
            config_path=config_path,
            admin_token=admin_token,
            transport=transport,
        )
    )
    engine.settler.on_change = window.set_to_settle
    engine.settler.on_settled = functools.partial(announce, window)
    if config_path is not None:
        watch_pin(window)
    return window


def watch_pin(window: CashierWindow) -> None:
    """A PIN set with `posapp set-pin` while the till runs works without a restart."""
    from posapp.ui.pin_watch import PinWatch

    PinWatch(window, window.services_.settings)  # kept alive by its own after() job


def services_for(
    config: Config,
    engine: Engine,
    *,
    config_path: Path | None = None,
    admin_token: str | None = None,
    transport: Transport | None = None,
) -> Services:
    from posapp.adapters.printer import ReceiptPrinter, transport_for
    from posapp.adapters.providers import admin_for
    from posapp.adapters.settings_file import NoSettingsFile
    from posapp.terminal.last_made import last_made, lost_sale
    from posapp.terminal.last_receipt import LastReceipt
    from posapp.terminal.ports import JournalUnwritable
    from posapp.terminal.till_calls import TillCalls
    from posapp.ui.host import Services

    def keep(body: str) -> None:
        """A receipt the printer could not take, kept for F9 after a restart. A journal that
        cannot take it either is logged, not said: the printer's words stand (F9 still has
        the receipt in memory), not the journal's "try again" after money moved."""
        try:
            engine.journal.keep_receipt(None, body)
        except JournalUnwritable as exc:
            logging.getLogger("posapp.printing").warning("receipt not kept: %s", exc)

    printer = ReceiptPrinter(
        transport if transport is not None else transport_for(config.printer),
        config.printer,
        keep=keep,
        logo=config.receipt.logo,
    )
    last = LastReceipt(
        functools.partial(kept_receipt, engine.journal),
        lost=functools.partial(lost_sale, engine.terminal),
        made=functools.partial(last_made, engine.terminal),
    )
    admin = admin_for(config, admin_token)
    changes = None
    if admin is not None:  # a manager's money changes are journalled (issue 19.2)
        from posapp.core.sign_in import manager_who
        from posapp.terminal.adjustment import CardChanges

        # The gift cards screen is behind the manager PIN where the config asks it for
        # "cards" (the till's PIN gate reads the same setting): a change says so, and whose
        # name the till was signed in with; there is one PIN, not a person's.
        pin = "cards" in config.manager.require_pin_for
        changes = CardChanges(
            engine.journal,
            admin,
            who=lambda: manager_who(engine.terminal.shift.cashier, pin=pin),
            locale=config.store.locale,
            on_unknown=engine.settler.wake,
        )
        engine.settler.admin = admin  # what settles such a change whose answer was lost
    settings: SettingsFile | NoSettingsFile = NoSettingsFile()
    if config_path is not None:
        settings = settings_file(config, engine, config_path)
    return Services(
        config,
        engine.terminal,
        printer,
        engine.pin,
        last,
        TillCalls(engine.terminal, printer, last, engine.pin),
        engine.client.health,
        lambda: engine.settler.count,
        settings,
        admin,
        config_path,
        changes,
    )


def settings_file(config: Config, engine: Engine, path: Path) -> SettingsFile:
    """The settings file, whose every change leaves a trace in the journal with who saved
    it; a hand edit since the till last ran is found now, and kept as such."""
    from posapp.adapters.settings_file import SettingsFile
    from posapp.core.sign_in import manager_who

    pin = "settings" in config.manager.require_pin_for  # the screen is behind the PIN
    found = SettingsFile(
        path, engine.journal, lambda: manager_who(engine.terminal.shift.cashier, pin=pin)
    )
    found.look_at_start(config)
    return found


def kept_receipt(journal: Journal) -> Receipt | None:
    """The last receipt the journal kept because the printer could not take it (F9 after a
    restart), or None."""
    from posapp.adapters.printer import receipt_from_json

    kept = journal.last_receipt()
    return receipt_from_json(kept) if kept is not None else None


def start_scanner(
    config: Config, window: CashierWindow, port: str | None = None
) -> SerialScanner | None:
    """The serial reader, when the config has one: its scans and status go to the window."""
    if config.scanner.mode == "wedge":
        return None
    from hardware.scanners.serial import SerialScanner
    from posapp.ui.scans import reader_options

    scanner = config.scanner
    return SerialScanner(
        port or scanner.port,
        window.scans.put,  # bounded: a flood drops the oldest (posapp/ui/scans.py)
        **reader_options(window.scans),
        baudrate=scanner.baudrate,
        terminator=scanner.terminator,
        prefix=scanner.prefix,
        suffix=scanner.suffix,
        on_status=window.status_bar.set_scanner_status,
    ).start()


def stop_on_sigterm(window: CashierWindow) -> None:
    """SIGTERM closes the window as its close button does: a money call in flight is waited
    for (up to its deadline) and said on screen."""
    from posapp.ui.tk_root import wake_on_signal

    wake_on_signal(window.root, window.close_requested)


def admin_token_for(url: str) -> str | None:
    import os

    import keyring
    from keyring.errors import KeyringError

    from posapp.adapters.secrets import ADMIN_VARIABLE
    from posapp.redact import hide

    try:
        found = keyring.get_password("posapp", f"{url}#admin")
    except KeyringError:
        found = None
    token = found or os.environ.get(ADMIN_VARIABLE) or None
    if token:
        hide(token)
    return token


def speak(config: Config) -> str:
    """The language of every word from here on (posapp/i18n.py): the config's, else the OS's."""
    return use(config.terminal.language, config.store.locale)


def run_terminal(config: Config, config_path: Path, *, ready_and_exit: bool = False) -> int:
    """`posapp`: the window at once; the engine built on a worker, then attached."""
    speak(config)

    from posapp.ui.settled import announce
    from posapp.ui.tk_root import tk_root
    from posapp.ui.window import CashierWindow

    root = tk_root()
    window = CashierWindow(root, config)
    engines: list[Engine] = []  # built on the worker: closed with the window
    scanners: list[SerialScanner] = []

    def build() -> tuple[Engine, Services]:
        engine = build_engine(config, start_settler=False)
        engines.append(engine)
        services = services_for(
            config,
            engine,
            config_path=config_path,
            admin_token=admin_token_for(config.provider.url),
        )
        return engine, services

    def attach(built: tuple[Engine, Services]) -> None:
        engine, services = built
        window.attach(services)
        watch_pin(window)
        engine.settler.on_change = window.set_to_settle
        engine.settler.on_settled = functools.partial(announce, window)
        engine.settler.start()
        scanner = start_scanner(config, window)
        if scanner is not None:
            scanners.append(scanner)

    def failed(error: BaseException) -> None:
        from posapp.terminal.words import words_for

        window.say(words_for(error)[0], "bad")  # a missing token says how to set it

    def close() -> None:
        for scanner in scanners:
            scanner.stop()
        window.close()
        for engine in engines:
            engine.close()
        root.destroy()

    window.on_close = close
    stop_on_sigterm(window)
    root.after_idle(lambda: window.worker.submit(build, attach, failed))
    if ready_and_exit:  # the window is drawn once the loop is idle: then it is ready

        def ready() -> None:
            print("ready", flush=True)
            close()

        root.after_idle(lambda: root.after_idle(ready))
    root.mainloop()
    return 0
