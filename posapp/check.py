"""`posapp check`: what the config says, in words a person setting up a till reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from posapp.config import Config
from posapp.core.serials import CardRef, SerialPatterns


def describe_config(config: Config, path: Path) -> str:
    store, provider, scanner, printer = (
        config.store,
        config.provider,
        config.scanner,
        config.printer,
    )
    lines = [
        f"Config: {path} (it is valid)",
        f"Store: {store.name}, {store.location_name}; amounts in {store.locale}",
        f"Provider: {provider.url}, {provider.timeout_s:g} s a call, cash-out by {provider.cash_out}",
        f"Scanner: {scanner.mode}"
        + (
            f" on {scanner.port} at {scanner.baudrate} baud, lines end in {scanner.terminator}"
            if scanner.mode != "wedge"
            else f", keys less than {scanner.max_key_gap_ms} ms apart are a scan"
        ),
        f"Printer: {printer.transport}, {printer.paper_width_mm} mm ({printer.columns} columns), "
        f"code page {printer.codepage}",
        "Patterns, tried in this order:",
    ]
    for i, p in enumerate(config.patterns, 1):
        lines.append(
            f"  {i}. {p.name}: {p.regex} -> the {p.lookup}, case {p.case}, check digit {p.check_digit}"
        )
    lines.append("Denominations for selling cards:")
    lines += [f"  {d.pricebook}: {d.amount} minor units" for d in config.denominations]
    return "\n".join(lines)


def describe_scan(config: Config, text: str) -> str:
    """The pattern tester: which pattern matched what the scanner sent, and what it captured."""
    found = SerialPatterns.load(config.patterns).extract(text)
    if isinstance(found, CardRef):
        return f"{found.pattern} matched: {found.lookup} {found.value}"
    return found.reason


def describe_provider(config: Config) -> list[str]:
    """Reachability, latency and what the token may do, in words."""
    from posapp.adapters.api_client import ProviderClient
    from posapp.adapters.secrets import SecretError, token_for
    from posapp.terminal.ports import Declined, ProviderError

    url = config.provider.url
    try:
        token = token_for(url)
    except SecretError as exc:
        return [f"Provider {url}: {exc}"]
    client = ProviderClient(
        url,
        token,
        timeout_s=config.provider.timeout_s,
        ca_bundle=config.provider.ca_bundle,
        backoff=(0.2,),
    )
    try:
        latency = client.health()
        lines = [f"Provider {url}: reachable, {latency * 1000:.0f} ms"]
        store = client.config()
        cash = "allowed" if store.cash_out_enabled else "not allowed"
        lines.append(
            f"Token: works for this terminal; the store counts in {store.currency}, cash-out {cash}"
        )
        try:
            client.gift_cards(limit=1)
            lines.append("Token scope: admin (gift cards screen and settings work)")
        except Declined as exc:
            if exc.code != "forbidden":
                raise
            lines.append("Token scope: terminal only (the gift cards screen needs an admin token)")
        return lines
    except ProviderError as exc:
        return [f"Provider {url}: {exc}"]
    finally:
        client.close()


def listen_for_scans(config: Config, count: int | None, out: Any = None) -> int:
    """`posapp check --scan`: one line a scan, with the raw text, the pattern and the serial."""
    import queue
    import sys

    from hardware.scanners.serial import SerialScanner

    out = out or sys.stdout
    scanner = config.scanner
    if scanner.mode == "wedge":
        print(
            "The scanner is a keyboard wedge: it types into the window. Test what it sends "
            "with `posapp pattern TEXT`, or in the window's pattern tester.",
            file=out,
        )
        return 0
    patterns = SerialPatterns.load(config.patterns)
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
            found = patterns.extract(raw)
            said = (
                f"{found.pattern} -> {found.lookup} {found.value}"
                if isinstance(found, CardRef)
                else found.reason
            )
            print(f"{raw!r}: {said}", file=out, flush=True)
            seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        reader.stop()
    return 0


def print_test_page(config: Config) -> str:
    from hardware.printers.transports import PrinterError
    from hardware.printers.virtual import render
    from posapp.printing import sample_page, transport_for

    data = sample_page(config.printer)
    transport = transport_for(config.printer)
    if transport is None:
        if config.printer.transport == "none":
            return 'No printer is configured (printer.transport = "none")'
        import tempfile

        path = Path(tempfile.gettempdir()) / "posapp-test-page.png"
        render(data, config.printer.paper_width_mm).save(path)
        return f"The virtual printer drew the test page: {path}"
    try:
        status = transport.status()
        if status is not None and not status.ready:
            return f"The {transport.name} is {status.words()}"
        transport.write(data)
    except PrinterError as exc:
        return str(exc)
    return f"Test page sent to the {transport.name}"
