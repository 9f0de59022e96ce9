"""The cashier screen (product.md, "Screens" 1): scan field, card panel, actions, the shift's
transactions and the status bar, answering to config.md's keys.

Nothing here waits: provider calls, printing and journal writes go to the Worker, and their
results come back on the Tk thread. Scans arrive from the wedge catcher (keys anywhere in
the window) and from the serial reader's thread (through Worker.post).
"""

from __future__ import annotations

import functools
import logging
import time
import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the network stack loads after the window shows (see attach)
    from posapp.adapters.api_client import ProviderClient
    from posapp.app import Engine
    from posapp.printing import ReceiptPrinter

from hardware.printers.errors import PrinterError
from hardware.scanners.wedge import ENDS, Key, WedgeClassifier
from posapp.adapters.secrets import SecretError
from posapp.config import Config
from posapp.core.gift import Gift
from posapp.core.money import format_money
from posapp.core.receipt import Receipt
from posapp.terminal.ports import CashierError, ProviderError
from posapp.ui import theme
from posapp.ui.controller import ActionState, ScanGate, card_panel, transaction_for_barcode
from posapp.ui.dialogs import AmountDialog, ChoiceDialog, Dialog, FormDialog, PinDialog
from posapp.ui.worker import Worker

log = logging.getLogger("posapp.ui")

# Errors a person can act on are shown as they are (house rule 7).
USER_ERRORS = (CashierError, ProviderError, PrinterError, SecretError)

ACTIONS = [
    ("redeem", "Redeem", "F2"),
    ("use_all", "Use full balance", "F3"),
    ("balance", "Print balance", "F4"),
    ("sell", "Sell card", "F5"),
    ("refund", "Refund to card", "F6"),
    ("reverse", "Reverse", "F7"),
    ("cash_out", "Cash out", "F8"),
    ("reprint", "Reprint", "F9"),
    ("reports", "Reports", "F10"),
    ("manager", "Manager", "F12"),
]


@dataclass
class Services:
    config: Config
    engine: Engine
    printer: ReceiptPrinter
    admin: ProviderClient | None = None
    config_path: Path | None = None


@dataclass
class Status:
    provider: str = "provider: checking…"
    provider_colour: str = "muted"
    scanner: str = "scanner: wedge"
    scanner_colour: str = "ok"
    printer: str = "printer: checking…"
    printer_colour: str = "muted"
    to_settle: int = 0


class CashierWindow:
    def __init__(
        self, root: tk.Tk, config: Config, *, sound: Callable[[str], None] | None = None
    ) -> None:
        """The window, drawn at once; `attach` gives it the engine when that is built (the
        network stack takes longer to load than the window takes to show)."""
        self.root = root
        self.config = config
        self._sound = sound
        self.services: Services | None = None
        self._waiting_scans: list[tuple[str, str]] = []
        self.locale = self.config.store.locale
        self.worker = Worker(root)
        self.fonts = theme.apply(root, 1.0 if root.winfo_screenheight() < 1000 else 1.25)
        self.state = ActionState()
        self.status = Status()
        self.gate = ScanGate()
        self.wedge = WedgeClassifier(self.config.scanner.max_key_gap_ms)
        self._held: list[tuple[tk.Misc, str]] = []
        self._flush_job: str | None = None
        self._watch_job: str | None = None
        self.gift: Gift | None = None
        self.last_receipt: Receipt | None = None
        self.last_job: bytes | None = None
        self.selling: dict[str, Any] | None = None  # a sale waiting for its card's scan
        self.sounds: list[str] = []
        # The store's currency, read on a worker once attached: the Tk thread does no I/O.
        self.currency = ""
        self.on_painted: Callable[[str], None] = lambda _what: None  # tests and benchmarks
        root.title(f"posapp — {self.config.store.name}, {self.config.store.location_name}")
        root.report_callback_exception = self._callback_error
        root.minsize(1000, 700)
        self.status.provider = "provider: connecting…"
        self._build()
        self._bind_keys()
        self._refresh_actions()

    def attach(self, services: Services) -> None:
        """The engine is ready: scans that came while it was built are checked now."""
        self.services = services
        self.terminal = services.engine.terminal
        self._watch()
        self._refresh_shift()
        self.worker.submit(
            lambda: self.terminal.store_config().currency, self._set_currency, lambda _e: None
        )
        waiting, self._waiting_scans = self._waiting_scans, []
        for text, source in waiting:
            self.scan(text, source)

    def _set_currency(self, currency: str) -> None:
        self.currency = currency

    def store_currency(self) -> str:
        """The store's currency as the provider said it at start (read on a worker)."""
        if not self.currency:
            raise CashierError("Still connecting to the provider: try again in a moment")
        return self.currency

    @property
    def ready(self) -> bool:
        return self.services is not None

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        root, fonts = self.root, self.fonts
        root.columnconfigure(0, weight=1, minsize=560)
        root.columnconfigure(1, weight=1, minsize=420)
        root.rowconfigure(2, weight=1)
        top = ttk.Frame(root, padding=(12, 12, 12, 0))
        top.grid(row=0, column=0, columnspan=2, sticky="ew")
        top.columnconfigure(0, weight=1)
        self.scan_text = tk.StringVar()
        self.scan_field = ttk.Entry(
            top, textvariable=self.scan_text, font=fonts["big"], style="Big.TEntry"
        )
        self.scan_field.grid(row=0, column=0, sticky="ew")
        ttk.Label(top, text="Scan or type a gift card, then Enter", font=fonts["small"]).grid(
            row=1, column=0, sticky="w"
        )
        self.busy = ttk.Progressbar(top, mode="indeterminate", length=160)
        self.busy_label = ttk.Label(top, text="", font=fonts["small"])
        self.busy.grid(row=0, column=1, padx=(12, 0))
        self.busy_label.grid(row=1, column=1)
        self.busy.grid_remove()

        card = ttk.Frame(root, style="Card.TFrame", padding=16)
        card.grid(row=1, column=0, sticky="nsew", padx=12, pady=12)
        card.columnconfigure(1, weight=1)
        self.card_serial = ttk.Label(card, text="No card", style="Card.TLabel", font=fonts["big"])
        self.card_serial.grid(row=0, column=0, columnspan=2, sticky="w")
        self.card_status = ttk.Label(card, text="", style="Card.TLabel")
        self.card_status.grid(row=0, column=2, sticky="e")
        self.card_balance = ttk.Label(card, text="—", style="Card.TLabel", font=fonts["huge"])
        self.card_balance.grid(row=1, column=0, columnspan=3, sticky="w", pady=6)
        self.card_details = ttk.Label(
            card,
            wraplength=520,
            text="Scan a gift card to see what it is worth.",
            style="Card.TLabel",
            font=fonts["body"],
            justify="left",
        )
        self.card_details.grid(row=2, column=0, columnspan=3, sticky="w")
        self.message = ttk.Label(
            card, text="", style="Card.TLabel", font=fonts["body"], wraplength=560, justify="left"
        )
        self.message.grid(row=3, column=0, columnspan=3, sticky="w", pady=(10, 0))

        actions = ttk.Frame(root, padding=(0, 12, 12, 12))
        actions.grid(row=1, column=1, rowspan=2, sticky="nsew")
        self.buttons: dict[str, ttk.Button] = {}
        for i, (name, words, key) in enumerate(ACTIONS):
            button = ttk.Button(
                actions,
                text=f"{words}\n{key}",
                style="Action.TButton",
                command=functools.partial(self.act, name),
            )
            button.grid(row=i // 2, column=i % 2, sticky="nsew", padx=4, pady=4)
            self.buttons[name] = button
        for c in (0, 1):
            actions.columnconfigure(c, weight=1)

        shift = ttk.Frame(root, padding=(12, 0, 12, 0))
        shift.grid(row=2, column=0, sticky="nsew")
        shift.rowconfigure(1, weight=1)
        shift.columnconfigure(0, weight=1)
        ttk.Label(shift, text="This shift", font=fonts["small"]).grid(row=0, column=0, sticky="w")
        columns = ("time", "what", "card", "amount", "state")
        self.shift = ttk.Treeview(shift, columns=columns, show="headings", height=6)
        for column, width in zip(columns, (80, 120, 80, 100, 110), strict=True):
            self.shift.heading(column, text=column.capitalize())
            self.shift.column(column, width=width, anchor="w")
        self.shift.grid(row=1, column=0, sticky="nsew")

        bar = ttk.Frame(root, padding=(12, 6))
        bar.grid(row=3, column=0, columnspan=2, sticky="ew")
        self.bar: dict[str, ttk.Label] = {}
        for i, name in enumerate(("provider", "scanner", "printer", "to_settle")):
            label = ttk.Label(bar, text="", style="muted.Status.TLabel")
            label.grid(row=0, column=i, padx=(0, 8), sticky="w")
            self.bar[name] = label
        self._paint_status()
        self.scan_field.focus_set()

    def _bind_keys(self) -> None:
        keys = {
            "<F2>": "redeem",
            "<F3>": "use_all",
            "<F4>": "balance",
            "<F5>": "sell",
            "<F6>": "refund",
            "<F7>": "reverse",
            "<F8>": "cash_out",
            "<F9>": "reprint",
            "<F10>": "reports",
            "<F12>": "manager",
        }
        for sequence, action in keys.items():
            self.root.bind(sequence, functools.partial(self._key_action, action))
        self.root.bind("<Escape>", lambda _e: self.clear_card())
        self.scan_field.bind("<Return>", lambda _e: self._typed_scan())
        self.scan_field.bind("<KP_Enter>", lambda _e: self._typed_scan())
        # The wedge catcher sees every key first, in every widget of the window (a bindtag
        # in front of each widget's own): a scan never lands in whatever field has focus.
        self.root.bind_class("Wedge", "<KeyPress>", self._wedge_key)
        self._tag_for_wedge(self.root)

    def _tag_for_wedge(self, widget: tk.Misc) -> None:
        tags = widget.bindtags()
        if "Wedge" not in tags:
            widget.bindtags(("Wedge", *tags))
        for child in widget.winfo_children():
            self._tag_for_wedge(child)

    # --- scans ----------------------------------------------------------------------------

    def _key_action(self, action: str, _event: object) -> None:
        self.act(action)

    def _wedge_key(self, event: tk.Event[Any]) -> str | None:
        key = Key(event.keysym, event.char or "", int(event.time))
        if key.keysym in ENDS:
            scanned = self.wedge.feed(key)
            if scanned is not None:
                self._cancel_flush()
                self._held.clear()
                self.scan(scanned, "wedge")
                return "break"
            self._flush_held()
            return None
        control = isinstance(event.state, int) and event.state & 0x4
        if not (key.char and key.char.isprintable()) or control:  # Control: a shortcut
            return None
        self.wedge.feed(key)
        # Hold the key back until we know it is a person typing: a scanner's next key comes
        # within max_key_gap_ms, a person's does not.
        self._held.append((event.widget, key.char))
        self._cancel_flush()
        self._flush_job = self.root.after(self.config.scanner.max_key_gap_ms + 15, self._flush_held)
        return "break"

    def _cancel_flush(self) -> None:
        if self._flush_job is not None:
            self.root.after_cancel(self._flush_job)
            self._flush_job = None

    def _flush_held(self) -> None:
        """A person typed these keys: give them to the widgets they were typed in."""
        self._flush_job = None
        held, self._held = self._held, []
        for widget, char in held:
            try:
                if isinstance(widget, tk.Entry | ttk.Entry):
                    widget.insert("insert", char)
                else:  # a dialog that takes keys itself (the amount keypad)
                    target = widget.winfo_toplevel()
                    taker = getattr(target, "held_key", None)
                    if taker is not None:
                        taker(char)
            except tk.TclError:
                continue

    def _typed_scan(self) -> str:
        text = self.scan_text.get()
        self.scan_text.set("")
        if text.strip():
            self.scan(text, "typed")
        return "break"

    def scan(self, text: str, source: str) -> None:
        """A scan from the wedge, the serial reader, or typed then Enter."""
        if self.services is None:
            self._waiting_scans.append((text, source))
            self.say("Starting… the scan will be checked in a moment", "warn")
            return
        if not self.gate.admit(text.strip(), time.monotonic()):
            return
        if any(isinstance(w, Dialog) and w.winfo_exists() for w in self.root.winfo_children()):
            self.sound("bad")
            self.say("Finish or cancel the open dialog first, then scan again", "warn")
            return
        if self.selling is not None:
            sale, self.selling = self.selling, None
            self.run("Selling the card…", lambda: self._sell(text, sale), self._printed)
            return

        def look() -> tuple[str, Any]:
            # A receipt's transaction barcode opens that transaction for reversal.
            entry = transaction_for_barcode(text.strip(), self.terminal.shift_entries())
            if entry is not None:
                return "reverse", entry.id
            return "card", self.terminal.check(text)

        def found(what: tuple[str, Any]) -> None:
            if what[0] == "reverse":
                self.sound("good")
                self.reverse_entry(what[1])
            else:
                self.show_card(what[1])

        self.run("Checking the card…", look, found)  # a bad scan: _error sounds it

    def show_card(self, gift: Gift) -> None:
        self.sound("good")
        self.gift = gift
        panel = card_panel(gift, self.locale)
        self.card_serial.configure(text=f"Card {panel.serial}")
        self.card_balance.configure(
            text=panel.balance, foreground=theme.COLOURS["text" if gift.is_redeemable else "muted"]
        )
        self.card_status.configure(text=panel.status, style=f"{panel.status_colour}.Status.TLabel")
        self.card_details.configure(
            text=f"{panel.description}\nKind: {panel.kind}   Valid: {panel.validity}   "
            f"Restrictions: {panel.restrictions}"
        )
        why = gift.why_not_redeemable()
        self.say(why or "", "bad" if why else "ok")
        self._refresh_actions()
        self.on_painted("card")

    def clear_card(self) -> None:
        self.gift = None
        self.selling = None
        self.card_serial.configure(text="No card")
        self.card_balance.configure(text="—")
        self.card_status.configure(text="", style="Card.TLabel")
        self.card_details.configure(text="Scan a gift card to see what it is worth.")
        self.say("")
        self._refresh_actions()

    # --- actions --------------------------------------------------------------------------

    def act(self, action: str) -> None:
        if self.services is None:
            self.say("Starting… one moment", "warn")
            return
        if not self.state.enabled(action):
            self.sound("bad")
            self.say(
                "Scan a card that can pay first"
                if not self.state.busy
                else "Wait for the current call to finish",
                "warn",
            )
            return
        getattr(self, f"do_{action}")()

    def do_redeem(self) -> None:
        gift = self.gift
        assert gift is not None
        if gift.kind == "item":
            self.run("Redeeming…", lambda: self._redeem(gift, quantity=1), self._printed)
            return
        AmountDialog(
            self.root,
            self.fonts,
            currency=gift.currency,
            locale=self.locale,
            maximum=gift.eligible_value,
            title="Redeem",
            on_ok=lambda amount: self.run(
                "Redeeming…", lambda: self._redeem(gift, amount), self._printed
            ),
            on_all=self.do_use_all,
        )
        self._tag_for_wedge(self.root)

    def do_use_all(self) -> None:
        gift = self.gift
        assert gift is not None
        self.run(
            "Redeeming the whole balance…", lambda: self._redeem(gift, use_all=True), self._printed
        )

    def _redeem(
        self,
        gift: Gift,
        amount: int | None = None,
        *,
        use_all: bool = False,
        quantity: int | None = None,
    ) -> tuple[Receipt, Gift | None]:
        receipt = self.terminal.redeem(gift, amount, use_all=use_all, quantity=quantity)
        return self._print_and_recheck(receipt, gift)

    def _print_and_recheck(
        self, receipt: Receipt, gift: Gift | None
    ) -> tuple[Receipt, Gift | None]:
        """On the worker: print (a printer problem keeps the receipt, never undoes the sale)
        and read the card again so the panel shows the new balance."""
        try:
            self.last_job = self._services.printer.print(receipt)
        except PrinterError as exc:
            words = str(exc)
            self.worker.post(lambda: self.say(words, "warn"))
            self.last_job = self._services.printer.last
        fresh = None
        if gift is not None and not receipt.not_confirmed:
            fresh = self.terminal.refresh(gift)
        return receipt, fresh

    def _printed(self, result: tuple[Receipt, Gift | None]) -> None:
        receipt, gift = result
        self.last_receipt = receipt
        if gift is not None:
            self.show_card(gift)
        if receipt.not_confirmed:
            self.say(
                "No answer from the provider: the transaction is kept to settle and will "
                "be finished automatically. The receipt says NOT CONFIRMED.",
                "warn",
            )
        else:
            amount = next((line.value for line in receipt.lines), "")
            self.say(f"{receipt.title.capitalize()}: {amount} done; receipt printed.", "ok")
        self._refresh_shift()
        self.on_painted("receipt")

    def do_balance(self) -> None:
        gift = self.gift
        assert gift is not None
        self.run(
            "Printing the balance…",
            lambda: self._print_and_recheck(self.terminal.print_balance(gift), None),
            self._printed,
        )

    def do_cash_out(self) -> None:
        gift = self.gift
        assert gift is not None
        amount = format_money(gift.eligible_value, gift.currency, self.locale)

        def go() -> None:
            self.run(
                "Paying out…",
                lambda: self._print_and_recheck(self.terminal.cash_out(gift), gift),
                self._printed,
            )

        self.with_pin("cash_out", f"pay out {amount} in cash", go)

    def do_sell(self) -> None:
        currency_hint = self.config.denominations

        def choose(pricebook: str | None, amount: str | None) -> str | None:
            if pricebook is None and not amount:
                return "Choose a denomination or type an amount"
            from posapp.core.money import AmountError, parse_amount

            minor = None
            if amount:
                try:
                    minor = parse_amount(amount, self.store_currency(), self.locale)
                except (AmountError, CashierError) as exc:
                    return str(exc)
            self.selling = {"pricebook": pricebook, "amount": minor}
            self.say("Now scan the new gift card to sell it (Esc cancels)", "ok")
            return None

        dialog: FormDialog | None = None

        def pick(book: str) -> Callable[[], None]:
            def chosen() -> None:
                choose(book, None)
                if dialog is not None:
                    dialog.destroy()

            return chosen

        dialog = FormDialog(
            self.root,
            self.fonts,
            title="Sell a gift card",
            fields=[("Other amount", "")],
            buttons=[(f"{d.pricebook}", pick(d.pricebook)) for d in currency_hint],
            on_ok=lambda values: choose(None, values["Other amount"]),
        )
        self._tag_for_wedge(self.root)

    def _sell(self, scanned: str, sale: dict[str, Any]) -> tuple[Receipt, Gift | None]:
        receipt = self.terminal.sell(scanned, amount=sale["amount"], pricebook=sale["pricebook"])
        return self._print_and_recheck(receipt, None)

    def do_refund(self) -> None:
        def ok(values: dict[str, str]) -> str | None:
            from posapp.core.money import AmountError, parse_amount

            try:
                minor = parse_amount(values["Amount"], self.store_currency(), self.locale)
            except (AmountError, CashierError) as exc:
                return str(exc)
            email = values["Customer e-mail (optional)"].strip() or None
            self.with_pin(
                "refund",
                "refund to a new card",
                lambda: self.run(
                    "Issuing the card…",
                    lambda: self._print_and_recheck(
                        self.terminal.refund_to_card(minor, email), None
                    ),
                    self._printed,
                ),
            )
            return None

        FormDialog(
            self.root,
            self.fonts,
            title="Refund to a new gift card",
            fields=[("Amount", ""), ("Customer e-mail (optional)", "")],
            on_ok=ok,
        )
        self._tag_for_wedge(self.root)

    def do_reverse(self) -> None:
        self.run("Loading the shift…", self.terminal.shift_entries, self._choose_reversal)

    def _choose_reversal(self, shift: list[Any]) -> None:
        entries = [e for e in shift if e.operation in ("redemption", "cash_out") and e.moved_money]
        rows: list[tuple[str, tuple[str, ...]]] = [
            (
                str(e.id),
                (
                    time.strftime("%H:%M", time.localtime(e.created_at)),
                    e.operation,
                    "…" + e.code[-4:],
                    format_money(e.amount or 0, e.currency, self.locale),
                ),
            )
            for e in entries
        ]
        ChoiceDialog(
            self.root,
            self.fonts,
            title="Reverse which transaction?",
            columns=("time", "what", "card", "amount"),
            rows=rows,
            on_pick=lambda key: self.reverse_entry(int(key)),
        )

    def reverse_entry(self, entry_id: int) -> None:
        self.with_pin(
            "reverse",
            "reverse this transaction",
            lambda: self.run(
                "Reversing…",
                lambda: self._print_and_recheck(self.terminal.reverse(entry_id), None),
                self._printed,
            ),
        )

    def do_reprint(self) -> None:
        """The last receipt again, marked DUPLICATE; after a restart, the one the journal
        kept because the printer could not take it."""
        shown = self.last_receipt
        journal = self._services.engine.journal

        def again() -> tuple[Receipt, Gift | None]:
            from posapp.printing import receipt_from_json

            receipt = shown
            if receipt is None:
                kept = journal.last_receipt()
                if kept is None:
                    raise CashierError("Nothing to reprint yet")
                receipt = receipt_from_json(kept)
            return self._print_and_recheck(receipt.reprint(), None)

        self.run("Reprinting…", again, self._printed)

    def do_reports(self) -> None:
        from posapp.ui.screens import ReportsScreen

        ReportsScreen(self)

    def do_manager(self) -> None:
        from posapp.ui.screens import ManagerMenu

        def open_menu() -> None:
            ManagerMenu(self)

        self.with_pin("cards", "open the manager menu", open_menu)

    def with_pin(self, action: str, reason: str, then: Callable[[], None]) -> None:
        if action not in self.config.manager.require_pin_for:
            then()
            return
        pin = self._services.engine.pin

        def check(value: str, answer: Callable[[str | None], None]) -> None:
            def verify() -> None:
                pin.check(value)

            self.worker.submit(verify, lambda _r: answer(None), lambda exc: answer(str(exc)))

        PinDialog(self.root, self.fonts, reason=reason, check=check, on_ok=then)

    # --- running calls off the Tk thread ---------------------------------------------------

    def run(
        self,
        doing: str,
        call: Callable[[], Any],
        then: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.state.busy = True
        self.busy.grid()
        self.busy.start(12)
        self.busy_label.configure(text=doing)
        self._refresh_actions()

        def finish() -> None:
            self.state.busy = False
            self.busy.stop()
            self.busy.grid_remove()
            self.busy_label.configure(text="")
            self._refresh_actions()

        def done(result: Any) -> None:
            finish()
            then(result)

        def failed(error: BaseException) -> None:
            finish()
            (on_error or self._error)(error)
            self._refresh_shift()

        self.worker.submit(call, done, failed)

    def _error(self, error: BaseException) -> None:
        if isinstance(error, USER_ERRORS):
            self.say(str(error), "bad")
        else:
            log.error("internal error", exc_info=(type(error), error, error.__traceback__))
            self.say(
                "Internal error; see the log. Nothing was charged twice: check the shift list.",
                "bad",
            )
        self.sound("bad")

    def _callback_error(self, kind: type[BaseException], error: BaseException, tb: Any) -> None:
        """Tk's report_callback_exception: every error of a callback is logged and shown."""
        if isinstance(error, USER_ERRORS):
            self.say(str(error), "bad")
            return
        log.error("internal error in a window callback", exc_info=(kind, error, tb))
        self.say("Internal error; see the log", "bad")

    # --- painting -------------------------------------------------------------------------

    def say(self, words: str, tone: str = "ok") -> None:
        colour = {"ok": "ok", "bad": "bad", "warn": "warn"}.get(tone, "text")
        self.message.configure(text=words, foreground=theme.COLOURS[colour])

    def sound(self, kind: str) -> None:
        """A good scan beeps once; a bad one three times (different, as a cashier hears)."""
        self.sounds.append(kind)
        if self._sound is not None:
            self._sound(kind)
            return
        self.root.bell()
        if kind == "bad":
            self.root.after(150, self.root.bell)
            self.root.after(300, self.root.bell)

    def _refresh_actions(self) -> None:
        gift = self.gift
        self.state.has_card = gift is not None
        self.state.redeemable = bool(gift and gift.is_redeemable)
        for name, button in self.buttons.items():
            button.state(["!disabled"] if self.state.enabled(name) else ["disabled"])

    def _refresh_shift(self) -> None:
        self.worker.submit(self.terminal.shift_entries, self._paint_shift, self._error)

    def _paint_shift(self, entries: list[Any]) -> None:
        self.shift.delete(*self.shift.get_children())
        for e in entries:
            state = {
                "completed": "done",
                "declined": "declined",
                "unknown": "TO SETTLE",
                "pending": "TO SETTLE",
            }.get(e.state, f"settled: {e.outcome}")
            value = (
                format_money(e.amount, e.currency, self.locale)
                if e.amount is not None
                else f"{e.quantity} items"
            )
            self.shift.insert(
                "",
                0,
                values=(
                    time.strftime("%H:%M:%S", time.localtime(e.created_at)),
                    e.operation,
                    "…" + e.code[-4:],
                    value,
                    state,
                ),
            )

    def _paint_status(self) -> None:
        s = self.status
        self.bar["provider"].configure(text=s.provider, style=f"{s.provider_colour}.Status.TLabel")
        self.bar["scanner"].configure(text=s.scanner, style=f"{s.scanner_colour}.Status.TLabel")
        self.bar["printer"].configure(text=s.printer, style=f"{s.printer_colour}.Status.TLabel")
        self.bar["to_settle"].configure(
            text=f"to settle: {s.to_settle}",
            style=f"{'warn' if s.to_settle else 'ok'}.Status.TLabel",
        )

    def set_scanner_status(self, words: str) -> None:
        """From the serial reader's thread."""

        def paint() -> None:
            self.status.scanner = f"scanner: {words}"
            self.status.scanner_colour = "ok" if words == "connected" else "bad"
            self._paint_status()

        self.worker.post(paint)

    def set_to_settle(self, count: int) -> None:
        """From the settler's thread."""

        def paint() -> None:
            self.status.to_settle = count
            self._paint_status()
            self._refresh_shift()

        self.worker.post(paint)

    def _watch(self) -> None:
        """Every 10 s, off the Tk thread: the provider's health and the printer's status."""
        engine, printer = self._services.engine, self._services.printer

        def look() -> tuple[str, str, str, str, int]:
            try:
                latency = engine.client.health()
                provider, pc = f"provider: online, {latency * 1000:.0f} ms", "ok"
            except ProviderError:
                provider, pc = "provider: OFFLINE", "bad"
            try:
                status = printer.transport.status() if printer.transport else None
                words = "ready" if status is None else status.words()
            except PrinterError:
                words = "offline"
            colour = "ok" if words == "ready" else "bad"
            return provider, pc, f"printer: {words}", colour, engine.settler.count

        def paint(found: tuple[str, str, str, str, int]) -> None:
            s = self.status
            s.provider, s.provider_colour, s.printer, s.printer_colour, s.to_settle = found
            self._paint_status()

        self.worker.submit(look, paint, lambda _e: None)
        self._watch_job = self.root.after(10_000, self._watch)

    @property
    def _services(self) -> Services:
        assert self.services is not None, "used before attach"
        return self.services

    def close(self) -> None:
        if self._watch_job is not None:
            self.root.after_cancel(self._watch_job)
        if self.services is not None and self.services.admin is not None:
            self.services.admin.close()
        self._cancel_flush()
        self.worker.close()
