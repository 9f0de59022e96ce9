"""A sale paid card by card (issue 23) the way a cashier makes one: keys through the X server
(F11, the amount due typed, a wedge scanner's bursts, Enter, Esc), kiosk and openbox, each
checked on the provider's ledger and the terminal's journal as well as on the screen; and a
till killed in the middle of a sale (SIGKILL, the real `posapp` process) that starts with the
sale open and finishes it.

With POSAPP_SHOTS=DIR the screens are saved to look at (docs/sale-in-progress.png, and the
sale receipt as the virtual printer draws it: docs/sale-receipt.png)."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest

from posapp.adapters.journal import Journal
from posapp.core.sale import Sale
from posapp.core.sale_entries import with_payments
from tests.gui_x.conftest import DEADLINE, Till
from tests.gui_x.steps import closed, overlay_open
from tests.gui_x.test_posapp import Posapp, posapp  # noqa: F401
from tests.helpers import wait_for

pytestmark = pytest.mark.gui
SMALL, SMALL_CODE = "SVS_GC-500000000000002", "500000000000002"  # $12.50
CARD, CODE = "SVS_GC-500000000000001", "500000000000001"  # $75.00
MADE, MADE_CODE = "SVS_GC-500000000000055", "500000000000055"  # made by the test: $80.00


def start_sale(till: Till, due: str, shows: str, ticket: str = "") -> None:
    """F11, the amount due typed, Tab and the register's ticket, Enter: the sale open."""
    till.key("F11")
    amount = overlay_open(till, "AmountOverlay")
    till.type(due)
    till.pump_until(lambda: amount.field.get() == shows, shows)
    if ticket:
        till.key("Tab")
        till.pump_until(lambda: till.root.focus_get() is amount.ticket_field, "the ticket field")
        till.type(ticket)
        till.shot("sale-due")
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.window.till.in_sale, "the sale open")
    assert till.balance_shown() == f"Left {shows}"


def pay(till: Till, scan: str, offered: str, typed: str = "", shows: str = "") -> Any:
    """A card scanned: the pay overlay offers `offered`; `typed`, a smaller amount; Enter."""
    till.scan(scan)
    overlay = overlay_open(till, "AmountOverlay")
    till.pump_until(lambda: overlay.field.get() == offered, f"{offered} offered")
    if typed:
        till.type(typed)
        till.pump_until(lambda: overlay.field.get() == shows, shows)
    till.key("Return")
    closed(till)
    return overlay


def paid_on_ledger(till: Till, code: str) -> list[int]:
    """The amounts of the card's redemptions the provider holds, and of their reversals."""
    found = till.ledger_transactions(code)
    return sorted(int(t["amount"]) for t in found if t["type"] in ("redemption", "reversal"))


def test_three_cards_pay_83_20_with_a_declined_card_in_the_middle(till: Till) -> None:
    window = till.window
    made = httpx.post(
        f"{till.provider.server.url}/v1/gift-cards",
        json={"code": MADE_CODE, "balance": 8000},
        headers=till.admin(),
    )
    assert made.status_code == 201, made.text
    till.pump_until(lambda: window.till.currency, "the store's currency")
    start_sale(till, "8320", "$83.20", "R-4411")
    assert till.serial_shown() == "Due $83.20 · paid $0.00"

    pay(till, SMALL, "$12.50")
    till.pump_until(lambda: till.says().startswith("Paid $12.50 from ••0002"), "the first card")
    till.settle()
    assert till.balance_shown() == "Left $70.70"
    till.shot("sale-in-progress")

    # The second card is blocked at the office while the customer hands it over: the
    # provider declines it, and the sale stays where it was.
    gift = till.ledger_gift(CODE)
    till.scan(CARD)
    overlay = overlay_open(till, "AmountOverlay")
    till.pump_until(lambda: overlay.field.get() == "$70.70", "$70.70 offered")
    till.shot("sale-pay")
    blocked = httpx.patch(
        f"{till.provider.server.url}/v1/gift-cards/{gift['id']}",
        json={"enabled": False, "reason": "reported stolen"},
        headers=till.admin(),
    )
    assert blocked.status_code == 200, blocked.text
    till.key("Return")
    closed(till)
    till.pump_until(lambda: window.till.tone == "bad" and not window.till.busy, "the decline")
    till.settle()
    assert window.till.in_sale
    assert till.balance_shown() == "Left $70.70"
    assert "disabled" in till.says().lower(), till.says()

    pay(till, MADE, "$70.70")
    till.pump_until(lambda: not window.till.in_sale and not window.till.busy, "the sale's end")
    till.settle()
    assert till.says().startswith("Sale paid in full: $83.20 by cards"), till.says()
    till.printer.wait_for_jobs(1)
    folder = os.environ.get("POSAPP_SHOTS", "")
    if folder and Path(folder).is_dir():
        till.printer.picture().save(Path(folder) / f"sale-receipt-{till.x.mode}.png")

    # The provider's ledger: what each card paid, the declined one nothing.
    assert till.ledger_balance(SMALL_CODE) == 0
    assert till.ledger_balance(MADE_CODE) == 8000 - 7070
    assert till.ledger_balance(CODE) == 7500
    assert paid_on_ledger(till, SMALL_CODE) == [1250]
    assert paid_on_ledger(till, MADE_CODE) == [7070]
    assert paid_on_ledger(till, CODE) == []
    sale = till.engine.journal.sale(1)
    assert sale is not None
    assert (sale.state, sale.due, sale.ticket) == ("paid", 8320, "R-4411")


def test_a_sale_cancelled_after_two_cards_refunds_both(till: Till) -> None:
    window = till.window
    till.pump_until(lambda: window.till.currency, "the store's currency")
    start_sale(till, "8320", "$83.20")
    pay(till, SMALL, "$12.50")
    till.pump_until(lambda: till.says().startswith("Paid $12.50"), "the first card")
    pay(till, CARD, "$70.70", typed="4000", shows="$40.00")  # the customer pays less
    till.pump_until(lambda: till.says().startswith("Paid $40.00"), "the second card")
    till.settle()
    assert till.balance_shown() == "Left $30.70"
    assert till.ledger_balance(CODE) == 3500

    till.key("F5")  # another key in a sale says what to do
    till.pump_until(lambda: till.says().startswith("A sale is open ($30.70 left)"), "F5's words")
    till.key("Escape")
    confirm = overlay_open(till, "ConfirmOverlay")
    assert confirm.detail.cget("text") == (
        "Cancel the sale? Every card paid is refunded (••0001 $40.00, ••0002 $12.50). "
        "Esc keeps the sale open."
    )
    assert confirm.pin_field is None  # no manager PIN while the sale is open
    till.key("Return")
    closed(till)
    till.pump_until(lambda: not window.till.in_sale and not window.till.busy, "the sale's end")
    till.settle()
    assert till.says().startswith("Sale cancelled: every card paid was refunded ($52.50)")

    # The ledger: each redemption reversed once, the cards as they were.
    assert till.ledger_balance(SMALL_CODE) == 1250
    assert till.ledger_balance(CODE) == 7500
    assert paid_on_ledger(till, SMALL_CODE) == [1250, 1250]
    assert paid_on_ledger(till, CODE) == [4000, 4000]
    sale = till.engine.journal.sale(1)
    assert sale is not None
    assert sale.state == "cancelled"


def open_sales(path: Path) -> list[Sale]:
    """The journal's open sales, each with its payments (as Sales.current reads them)."""
    journal = Journal(path)
    try:
        return [with_payments(s, journal.sale_entries(s.id)) for s in journal.open_sales()]
    finally:
        journal.close()


def test_a_till_killed_mid_sale_starts_with_the_sale_open_and_finishes_it(
    posapp: Posapp,  # noqa: F811
) -> None:
    posapp.start()
    bare = posapp.overlays()
    posapp.open_with("F11", bare, "the amount due")
    posapp.keys(*[a for k in "8320" for a in ("key", k, "sleep", "0.04")], "key", "Return")
    wait_for(lambda: open_sales(posapp.journal), DEADLINE, "the sale in the journal")
    posapp.scan(SMALL)
    wait_for(lambda: posapp.overlays() > bare, DEADLINE, "the pay overlay")
    posapp.keys("key", "Return")
    wait_for(lambda: posapp.provider.balance(SMALL_CODE) == 0, DEADLINE, "the first payment")

    # The second card's payment is on its way to the provider when the till is killed.
    posapp.provider.proxy.set("hold", only=b"/redemptions")
    posapp.scan(CARD)
    wait_for(lambda: posapp.overlays() > bare, DEADLINE, "the pay overlay")
    posapp.keys("key", "Return")
    wait_for(lambda: len(posapp.entries()) == 2, DEADLINE, "the second payment's intent")
    assert posapp.process is not None
    os.kill(posapp.process.pid, signal.SIGKILL)
    posapp.process.wait(DEADLINE)
    (sale,) = open_sales(posapp.journal)
    assert [p.state for p in sale.payments] == ["done", "pending"]

    posapp.start()  # the held request never reached the provider: the settler cancels it
    wait_for(
        lambda: posapp.entries()[-1].state not in ("pending", "unknown"),
        20,
        "the next start to settle the second payment",
    )
    # The sale is open again; F11 asks to collect the rest by other means, Enter finishes.
    bare = posapp.overlays()
    posapp.open_with("F11", bare, "the finish confirm")
    posapp.keys("key", "Return")
    wait_for(lambda: not open_sales(posapp.journal), DEADLINE, "the sale finished")
    assert posapp.stop() == 0
    journal = Journal(posapp.journal)
    try:
        done = journal.sale(sale.id)
    finally:
        journal.close()
    assert done is not None
    assert done.state == "handed_over"
    assert posapp.provider.balance(SMALL_CODE) == 0
    assert posapp.provider.balance(CODE) == 7500  # never charged after the customer left
    proxy = posapp.provider.proxy
    proxy.set("pass")
    proxy.release()  # the held request reaches the provider after all: refused there
    wait_for(
        lambda: [s for line, s in proxy.answered if b"/redemptions" in line][1:],
        DEADLINE,
        "the late request's answer",
    )
    assert posapp.provider.balance(CODE) == 7500
