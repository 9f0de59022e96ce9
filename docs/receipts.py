"""Draws the README's receipts as the virtual printer prints them, from the real use cases
against the real provider (the demo store, on loopback): every receipt type on 80 mm paper,
and the cash-out on 58 mm; the slip of a redemption settled after its answer was lost (a
proxy drops the provider's answers, then lets them through).

    .venv/bin/python docs/receipts.py

Writes docs/receipt-*.png.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.printers.render import render
from posapp.adapters.printer import lay_out
from posapp.app import build_engine
from posapp.config import Config
from posapp.core.entry import Entry
from posapp.core.receipt import Receipt
from posapp.provider.app import create_app
from posapp.provider.demo import make_demo_store
from posapp.provider.store import Store
from tests.faultproxy import FaultProxy
from tests.helpers import LiveServer

OUT = Path(__file__).resolve().parent


def save(receipt: Receipt, name: str, paper: int = 80) -> None:
    path = OUT / f"receipt-{name}-{paper}mm.png"
    render(lay_out(receipt, paper_width_mm=paper), paper).save(path)
    print("wrote", path)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="posapp-receipts-"))
    store = Store(f"sqlite:///{folder / 'provider.db'}", pool_size=2)
    made = make_demo_store(store)
    server = LiveServer(create_app(store))
    proxy = FaultProxy(server.port)
    config = Config()
    config = replace(
        config,
        terminal=replace(config.terminal, cashier="Ann"),
        provider=replace(config.provider, url=proxy.url),
    )
    engine = build_engine(
        config, token=made["terminal_token"], journal=folder / "journal.db", start_settler=False
    )
    terminal = engine.terminal
    try:
        save(terminal.redeem(terminal.check("SVS_GC-500000000000001"), 2500), "redemption")
        save(terminal.reverse(terminal.shift.shift_entries()[0].id), "reversal")
        cash_out = terminal.cash_out(terminal.check("SVS_GC-500000000000002"))
        save(cash_out, "cash-out", 58)
        save(terminal.sell("SVS_GC-700000000000011", pricebook="gift-card-300"), "sold")
        save(terminal.refund_to_card(1999), "refund")
        save(terminal.print_balance(terminal.check("SVS_GC-500000000000004")), "balance-expired")
        terminal.redeem(terminal.check("SVS_GC-500000000000008"), quantity=1)  # its items apart
        save(terminal.shift.z_report(), "z-report")
        # A redemption whose answer is lost, then settled: the slip the till prints then.
        card = terminal.check("SVS_GC-500000000000001")
        proxy.set("drop_answer", only=b"/v1/")
        terminal.redeem(card, 1250)
        proxy.set("pass")
        settled: list[Entry] = []
        engine.settler.on_settled = settled.extend
        engine.settler.settle_once()
        save(terminal.settled_slip(settled[0]), "settled")
    finally:
        engine.close()
        proxy.close()
        server.stop()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
