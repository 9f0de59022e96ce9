"""A sale paid card by card (issue 23) through the window's widgets and keys, against the
real provider: F11's amount due with the register's ticket, each card's payment offered on
the pay overlay, the panel's due, paid and left, finishing by itself once paid in full, and
Esc's cancel overlay (widget tier; tests/gui_x drives the same under a real X server)."""

from __future__ import annotations

import pytest

from posapp.ui.amount import AmountOverlay
from posapp.ui.confirm import ConfirmOverlay
from tests.gui.conftest import Till, key, person_types, pump_until, wedge_scan
from tests.gui.test_cashier import CARD, OTHER, overlay_of

pytestmark = pytest.mark.gui


def start_sale(till: Till, due: str, ticket: str = "") -> None:
    """F11, the amount due typed, the ticket (Tab to it), Enter."""
    window = till.window
    pump_until(till.root, lambda: window.till.currency, what="the store's currency")
    key(window.scan_field, "F11", 10)
    amount = overlay_of(till, AmountOverlay)
    assert isinstance(amount, AmountOverlay)
    assert amount.title.cget("text") == "Amount due"
    person_types(window, amount.field, due)
    if ticket:
        amount.ticket_field.focus_set()
        person_types(window, amount.ticket_field, ticket)
    key(amount.field, "Return", 20)
    pump_until(till.root, lambda: window.till.in_sale, what="the sale open")


def pay_offered(till: Till, scan: str) -> AmountOverlay:
    wedge_scan(till.window, scan)
    overlay = pump_until(
        till.root,
        lambda: (
            till.window.overlay
            if isinstance(till.window.overlay, AmountOverlay) and till.window.till.purpose == "pay"
            else None
        ),
        what="the pay overlay",
    )
    assert isinstance(overlay, AmountOverlay)
    return overlay


def test_two_cards_pay_a_sale_in_full_and_it_finishes_with_its_receipt(till: Till) -> None:
    window = till.window
    start_sale(till, "8320", "R-4411")
    panel = window.panel
    assert panel.serial.cget("text") == "Due $83.20 · paid $0.00"
    assert panel.balance.cget("text") == "Left $83.20"
    assert panel.details.cget("text") == "Ticket R-4411"
    assert window.buttons["sale"].cget("text") == "Finish sale: collect $83.20\nF11"

    first = pay_offered(till, OTHER)  # $12.50: all of it
    assert first.field.get() == "$12.50"
    assert first.ok.cget("text") == "Pay $12.50 from ••0002 (sale: $70.70 left)  (Enter)"
    assert first.limit.cget("text") == "This card can pay $12.50; the sale has $83.20 left"
    key(first.field, "Return", 30)
    pump_until(till.root, lambda: window.till.message.startswith("Paid $12.50"), what="paid")
    assert panel.balance.cget("text") == "Left $70.70"
    assert "••0002 paid $12.50, $0.00 left on it" in panel.details.cget("text")

    second = pay_offered(till, CARD)  # $75.00: what is left
    assert second.field.get() == "$70.70"
    key(second.field, "Return", 40)
    pump_until(till.root, lambda: not window.till.in_sale and not window.till.busy, what="end")
    assert window.till.message.startswith("Sale paid in full: $83.20 by cards")
    assert panel.balance.cget("text") != "Left $0.00"  # the panel is the till's again
    assert till.provider.balance(OTHER.removeprefix("SVS_GC-")) == 0
    assert till.provider.balance(CARD.removeprefix("SVS_GC-")) == 7500 - 7070
    (job,) = till.printer.wait_for_jobs(1)
    assert b"R-4411" in job


def test_a_smaller_amount_typed_pays_less_and_f11_hands_the_rest_over(till: Till) -> None:
    window = till.window
    start_sale(till, "8320")
    overlay = pay_offered(till, CARD)
    assert overlay.field.get() == "$75.00"
    person_types(window, overlay.field, "5000")  # the first key replaces the offer
    assert overlay.field.get() == "$50.00"
    assert overlay.ok.cget("text") == "Pay $50.00 from ••0001 (sale: $33.20 left)  (Enter)"
    key(overlay.field, "Return", 30)
    pump_until(till.root, lambda: window.till.message.startswith("Paid $50.00"), what="paid")
    key(window.scan_field, "F11", 40)
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    assert confirm.words.cget("text") == "Finish the sale, then collect $33.20 by other means"
    confirm.enter()
    pump_until(till.root, lambda: not window.till.in_sale and not window.till.busy, what="end")
    assert window.till.message.startswith(
        "Sale finished: $50.00 paid by cards. Collect $33.20 by other means now"
    )


def test_esc_asks_before_cancelling_and_cancelling_refunds_every_card(till: Till) -> None:
    window = till.window
    start_sale(till, "8320")
    key(pay_offered(till, OTHER).field, "Return", 30)
    pump_until(till.root, lambda: window.till.message.startswith("Paid $12.50"), what="paid")
    window.escape()
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    assert confirm.pin_field is None  # no manager PIN while the sale is open
    assert confirm.detail.cget("text") == (
        "Cancel the sale? Every card paid is refunded (••0002 $12.50). Esc keeps the sale open."
    )
    window.escape()  # Esc keeps the sale
    pump_until(till.root, lambda: window.overlay is None, what="the overlay closed")
    assert window.till.in_sale
    window.escape()
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    confirm.enter()
    pump_until(till.root, lambda: not window.till.in_sale and not window.till.busy, what="end")
    assert window.till.message.startswith("Sale cancelled: every card paid was refunded ($12.50)")
    assert till.provider.balance(OTHER.removeprefix("SVS_GC-")) == 1250


def test_a_cancel_that_cannot_refund_a_card_leaves_the_sale_open_and_says_which(
    till: Till,
) -> None:
    """A card blocked at the office after it paid: its refund is refused, the sale stays
    open and listed, the words name the card, and the cancellation receipt prints."""
    import httpx

    window, provider = till.window, till.provider
    start_sale(till, "8320")
    key(pay_offered(till, OTHER).field, "Return", 30)
    pump_until(till.root, lambda: window.till.message.startswith("Paid $12.50"), what="paid")
    admin = {"Authorization": f"Bearer {provider.made['admin_token']}"}
    code = OTHER.removeprefix("SVS_GC-")
    (gift,) = httpx.get(
        f"{provider.server.url}/v1/gift-cards", params={"code": code}, headers=admin
    ).json()
    blocked = httpx.patch(
        f"{provider.server.url}/v1/gift-cards/{gift['id']}", json={"enabled": False}, headers=admin
    )
    assert blocked.status_code == 200, blocked.text
    window.escape()
    confirm = overlay_of(till, ConfirmOverlay)
    assert isinstance(confirm, ConfirmOverlay)
    confirm.enter()
    pump_until(till.root, lambda: not window.till.busy and window.till.tone == "bad", what="end")
    assert window.till.in_sale  # still open, and still on the panel
    assert window.panel.balance.cget("text") == "Left $70.70"
    assert "••0002" in window.till.message
    assert "The cancellation receipt lists what was refunded" in window.till.message
    till.printer.wait_for_jobs(1)  # the cancellation receipt
    assert provider.balance(code) == 0  # not given back: the card is blocked
