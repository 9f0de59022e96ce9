"""`posapp check`: what the config says, in words a person setting up a till reads."""

from __future__ import annotations

from pathlib import Path

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
