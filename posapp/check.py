"""`posapp check`: what the config says, in words a person setting up a till reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from posapp.check_rules import store_rules
from posapp.config import API_NAMES, Config
from posapp.core.gift import GiftCardConfig
from posapp.core.glossary import choice, day, transaction
from posapp.core.money import format_money
from posapp.core.nearmiss import closest
from posapp.core.serials import (
    ENGINE,
    CardRef,
    Extraction,
    NoMatch,
    SerialPatterns,
    ascii_note,
    clean,
)
from posapp.core.wedge_map import WedgeMap
from posapp.deadline import in_words


def describe_config(
    config: Config, path: Path, currency: str | None = None, today: date | None = None
) -> str:
    """The config in words; amounts as money once the provider said the store's currency."""
    store, provider, scanner, printer = (
        config.store,
        config.provider,
        config.scanner,
        config.printer,
    )
    mode = choice("scanner.mode", scanner.mode)
    lines = [
        f"Config: {path} (it is valid)",
        f"Store: {store.name}, {store.location_name}; amounts in {store.locale}",
        f"Cashier on receipts: {config.terminal.cashier or '(none: no cashier line)'}",
        f"Provider: {API_NAMES[provider.api]} at {provider.url}"
        + (f", location {provider.location_id}" if provider.location_id else "")
        + (
            f" and {provider.stored_value_url}, merchant account {provider.merchant_account}, "
            f"{provider.brand} cards" + (f", store {provider.store}" if provider.store else "")
            if provider.api == "adyen"
            else ""
        )
        + (
            f", NewStore store {provider.store_id}, value in {provider.value_units} units, "
            f"cash-out {'enabled' if provider.cash_out_enabled else 'disabled'}"
            if provider.api == "newstore"
            else ""
        )
        + "; cash-outs: "
        + choice("provider.cash_out", provider.cash_out).lower(),
        f"Waiting: {in_words(provider)}",
        f"Scanner: {mode}"
        + (
            f" on {scanner.port} at {scanner.baudrate} baud, lines end in {scanner.terminator}"
            if scanner.mode != "wedge"
            else f"; keys less than {scanner.max_key_gap_ms} ms apart are a scan"
        ),
        f"Printer: {choice('printer.transport', printer.transport)}, {printer.paper_width_mm} mm "
        f"({printer.columns} columns), code page {printer.codepage}",
        f"Card patterns, tried in this order ({ENGINE}):",
    ]
    for i, p in enumerate(config.patterns, 1):
        check_digit = "" if p.check_digit == "none" else f", {p.check_digit} check digit"
        lines.append(
            f"  {i}. {p.name}: {p.regex} gives the {choice('patterns.lookup', p.lookup).lower()}"
            f" ({choice('patterns.case', p.case).lower()}{check_digit})"
        )
    lines += store_rules(config, currency, date.today() if today is None else today)
    if currency:
        lines.append("Cards for sale:")
        lines += [
            f"  {d.pricebook}: {format_money(d.amount, currency, store.locale)}"
            for d in config.denominations
        ]
    else:
        lines.append("Cards for sale (in cents, or the store currency's smallest unit):")
        lines += [f"  {d.pricebook}: {d.amount}" for d in config.denominations]
    return "\n".join(lines)


def describe_scan(config: Config, text: str, journal: Path | None = None) -> tuple[str, bool]:
    """The pattern tester: which pattern matched what the scanner sent and what it captured;
    or, when none did, which came closest and what it lacks. True when one matched. A
    receipt number of this till (its `journal`) is said as one: the till reads it so first
    (the retrial of a till, M: 307744000004 was called a typed voucher's card code)."""
    found = SerialPatterns.load(config.patterns).extract(text)
    receipt = receipt_words(journal, text.strip()) if journal is not None else None
    if isinstance(found, CardRef):
        lookup = choice("patterns.lookup", found.lookup)
        said = f"{found.pattern} matched: {lookup} {found.value}{found.said}"
        if receipt is not None:
            said = f"{receipt}\nAs a card, {found.pattern} would read it: {found.value}"
        return said, True
    if receipt is not None:
        return receipt, True
    near = closest(config.patterns, clean(text))
    words = found.reason
    if isinstance(found, NoMatch) and near is not None and text.strip():
        words = f"No pattern matches. Closest: {near}"
    note = ascii_note(text)  # digits or letters that \d and \w do not take
    return (words if note is None else f"{words}\n{note}"), False


def receipt_words(journal: Path, text: str) -> str | None:
    """`text` said as a receipt number of this till, when the till's journal made it; None
    when it is no such number (or there is no journal yet)."""
    if not (text.isdigit() and journal.is_file()):
        return None
    from posapp.adapters.journal import Journal

    entry = Journal(journal).entry_for_receipt(None, text)
    if entry is None:
        return None
    made = datetime.fromtimestamp(entry.created_at)
    return (
        f"{text} is a receipt number of this till: the receipt of the "
        f"{transaction(entry.operation).lower()} of {day(made)} at {made:%H:%M}. Scanned or "
        "typed at the till, it finds that receipt (to reverse it, or its card), not a card"
    )


def describe_provider(
    config: Config, admin_token: str | None = None
) -> tuple[list[str], GiftCardConfig | None]:
    """Which API, reachability, latency and what the tokens may do, in words; and the
    store's config as the provider says it (currency, name), or None when something failed.
    The admin token, where there is one, is proved on the gift cards screen's own call."""
    from posapp.adapters.api_client import ProviderClient
    from posapp.adapters.providers import provider_for
    from posapp.adapters.secrets import SecretError, token_for
    from posapp.terminal.ports import Declined, ProviderError

    url = config.provider.url
    try:
        token = token_for(url)
    except SecretError as exc:
        return [f"Provider {url}: {exc}"], None
    client = provider_for(config, token, backoff=(0.2,))
    try:
        latency = client.health()
        lines = [
            f"Provider {url}: {API_NAMES[config.provider.api]}, reachable, {latency * 1000:.0f} ms"
        ]
        store = client.config()
        if config.provider.api == "adyen":  # the balance checks of no card are the proof
            lines.append(
                f"API key: works for merchant account {config.provider.merchant_account} on "
                f"the Checkout and Stored Value APIs ({config.provider.brand} cards); the till "
                f"counts in {store.currency} (its locale's)"
            )
            return lines, store
        if not isinstance(client, ProviderClient):  # no scopes to probe: the read is the proof
            where = config.provider.location_id
            lines.append(
                f"Access token: works{f' for location {where}' if where else ''}, which "
                f"counts in {store.currency}"
            )
            return lines, store
        cash = (
            "allowed"
            if store.cash_out_enabled
            else "not allowed (`posapp-provider cash-out --allow`, see the README)"
        )
        lines.append(
            f"Token: works for this terminal; the store counts in {store.currency}, cash-out {cash}"
        )
        if admin_token:
            admin = provider_for(config, admin_token, backoff=(0.2,))
            try:
                assert isinstance(admin, ProviderClient)
                admin.gift_cards(limit=1)
                lines.append("Admin token: works (the gift cards screen can open)")
            except Declined as exc:
                if exc.code not in ("forbidden", "unauthorized"):
                    raise
                lines.append(
                    "Admin token: refused by the provider: store the admin_token that "
                    "`posapp-provider init` printed with `posapp set-token --admin`"
                )
                return lines, None
            finally:
                admin.close()
        return lines, store
    except ProviderError as exc:
        return [f"Provider {url}: {exc}"], None
    finally:
        client.close()


def listen_for_scans(config: Config, count: int | None, out: TextIO | None = None) -> int:
    """`posapp check --scan`: one line a scan, with the raw text, the pattern and the serial."""
    import queue
    import sys

    from hardware.scanners.serial import SerialScanner

    out = out or sys.stdout
    scanner = config.scanner
    patterns = SerialPatterns.load(config.patterns)
    if scanner.mode == "wedge":
        for raw, caps_lock in wedge_scans(sys.stdin, count, out):
            read = WedgeMap.of(scanner).read(raw, caps_lock)
            lock = " (Caps Lock on: letters turned back)" if caps_lock else ""
            print(
                f"arrived {raw!r}, read {read!r}{lock}: {_said(patterns.extract(read))}", file=out
            )
        return 0
    scans: queue.Queue[str] = queue.Queue()
    reader = SerialScanner(
        scanner.port,
        scans.put,
        baudrate=scanner.baudrate,
        terminator=scanner.terminator,
        prefix=scanner.prefix,
        suffix=scanner.suffix,
        on_status=lambda words: print(f"scanner {scanner.port}: {words}", file=out, flush=True),
    )
    reader.start()
    print(f"Listening on {scanner.port}; scan a card (Ctrl-C stops).", file=out, flush=True)
    seen = 0
    try:
        while count is None or seen < count:
            raw = scans.get()
            print(f"{raw!r}: {_said(patterns.extract(raw))}", file=out, flush=True)
            seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        reader.stop()
    return 0


def wedge_scans(stdin: TextIO, count: int | None, out: TextIO) -> Iterator[tuple[str, bool]]:
    """A USB wedge scanner's scans, each with whether Caps Lock was on: a line each from
    stdin when it is not a terminal (a typed or piped test); else from a small window whose
    field the scanner types into (the keys' Lock bit says Caps Lock)."""
    if not stdin.isatty():
        for seen, line in enumerate(stdin):
            if count is not None and seen >= count:
                return
            yield line.rstrip("\r\n"), False
        return
    import tkinter as tk

    root = tk.Tk()
    root.title("posapp check --scan")
    tk.Label(root, text="Scan a card with the USB scanner (close this window to stop)").pack(
        padx=20, pady=10
    )
    field = tk.Entry(root, width=50)
    field.pack(padx=20, pady=10)
    field.focus_force()
    got: list[tuple[str, bool]] = []
    lock = [False]

    def key(event: tk.Event[tk.Entry]) -> None:
        lock[0] = bool(event.state & 0x2) if isinstance(event.state, int) else lock[0]

    def enter(_event: tk.Event[tk.Entry]) -> None:
        got.append((field.get(), lock[0]))
        field.delete(0, "end")
        root.quit()

    field.bind("<KeyPress>", key, add="+")
    field.bind("<Return>", enter)
    root.protocol("WM_DELETE_WINDOW", root.quit)
    print("Scan into the window posapp opened (close it to stop).", file=out, flush=True)
    seen = 0
    while count is None or seen < count:
        root.mainloop()
        if not got:
            break
        seen += 1
        yield got.pop()
    root.destroy()


def _said(found: Extraction) -> str:
    """Which pattern took a scan and the serial; else why none did."""
    if isinstance(found, CardRef):
        return f"{found.pattern} -> {choice('patterns.lookup', found.lookup).lower()} {found.value}"
    return found.reason


def print_test_page(config: Config) -> tuple[str, bool]:
    from hardware.printers.render import render
    from hardware.printers.transports import PrinterError
    from posapp.adapters.printer import sample_page, transport_for

    data = sample_page(config.printer)
    transport = transport_for(config.printer)
    if transport is None:
        if config.printer.transport == "none":
            return 'No printer is configured (printer.transport = "none")', True
        import tempfile

        path = Path(tempfile.gettempdir()) / "posapp-test-page.png"
        render(data, config.printer.paper_width_mm).save(path)
        return f"The virtual printer drew the test page: {path}", True
    try:
        status = transport.status()
        if status is not None and not status.ready:
            return f"The {transport.name} is {status.words()}", False
        transport.write(data)
    except PrinterError as exc:
        return str(exc), False
    return f"Test page sent to the {transport.name}", True
