"""The use cases against the real provider over HTTP: check, redeem, reverse, cash out,
sell, refund, balance slip, X and Z reports, reconciliation."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from posapp.adapters.square import SquareClient
from posapp.app import Engine
from posapp.config import DEFAULT_PATTERNS, till_settings
from posapp.core import intent as intents
from posapp.core.serials import SerialPatterns
from posapp.core.till import Till
from posapp.terminal.reversal import reversible
from posapp.terminal.service import CashierError, Terminal
from tests.terminal.conftest import APIS, Provider

ACTIVE = "SVS_GC-500000000000001"  # $75.00 in the demo store


# The use cases that every provider API supports run against both (the fake Square too);
# the others use what only api.md has (item gifts, expiry, location rules, its config).
both = pytest.mark.parametrize("api", APIS)


def provider_balance(provider: Provider, code: str) -> int:
    return provider.balance(code)


@both
def test_check_a_card_from_what_the_scanner_sent(engine: Engine) -> None:
    gift = engine.terminal.check(" svs_gc-500000000000001\r\n")
    assert (gift.code, gift.balance, gift.is_redeemable) == ("500000000000001", 7500, True)
    assert gift.present_value_description == "$75.00 available"


@pytest.mark.parametrize(
    ("scan", "says"),
    [
        ("SVS_GC-500000000000004", "This card expired on "),
        ("SVS_GC-500000000000005", "This card cannot be used before "),
        ("SVS_GC-500000000000006", "This card is disabled"),
        ("SVS_GC-500000000000007", "This card was canceled"),
        ("SVS_GC-500000000000003", "This card is used up"),
        ("SVS_GC-500000000000009", "This card is not valid at this location"),
    ],
)
def test_cards_that_cannot_pay_say_why(engine: Engine, scan: str, says: str) -> None:
    gift = engine.terminal.check(scan)
    with pytest.raises(CashierError, match=says):
        engine.terminal.redeem(gift, 100)
    assert engine.terminal.shift.shift_entries() == []  # refused before any intent


@both
def test_unknown_and_garbled_scans(engine: Engine) -> None:
    with pytest.raises(
        CashierError, match=r"^This card is not sold yet: F5 sells it\. If the customer"
    ):
        engine.terminal.check("SVS_GC-999999999999999")
    with pytest.raises(CashierError, match="not a gift card this store knows"):
        engine.terminal.check("hello\x00world")


@both
def test_partial_and_repeated_redemptions(engine: Engine, provider: Provider) -> None:
    terminal = engine.terminal
    gift = terminal.check(ACTIVE)
    first = terminal.redeem(gift, 2500)
    assert [(line.label, line.value) for line in first.lines] == [
        ("Amount", "$25.00"),
        ("Balance before", "$75.00"),
        ("Balance left", "$50.00"),
    ]
    assert first.transaction_id
    assert first.shown_serial == "***********0001"
    gift = terminal.check(ACTIVE)
    with pytest.raises(CashierError, match=r"Only \$50\.00 left on this card"):
        terminal.redeem(gift, 5001)
    last = terminal.redeem(gift, use_all=True)
    assert last.lines[0].value == "$50.00"
    assert provider_balance(provider, "500000000000001") == 0
    states = [(e.operation, e.state, e.amount) for e in terminal.shift.shift_entries()]
    assert states == [("redemption", "completed", 2500), ("redemption", "completed", 5000)]


@both
def test_bad_amounts_change_nothing(engine: Engine, provider: Provider) -> None:
    gift = engine.terminal.check(ACTIVE)
    for amount in (0, -5, None):
        with pytest.raises(CashierError):
            engine.terminal.redeem(gift, amount)
    assert engine.terminal.shift.shift_entries() == []
    assert provider_balance(provider, "500000000000001") == 7500


def test_item_gift_redeems_a_quantity(engine: Engine) -> None:
    gift = engine.terminal.check("SVS_GC-500000000000008")
    receipt = engine.terminal.redeem(gift, quantity=1)
    # The trial: "Items 1 / Items left 1", without the item's name.
    said = [(line.label, line.value) for line in receipt.lines]
    assert ("Items", "1 × Coffee") in said
    assert ("Items left", "1 × Coffee") in said
    with pytest.raises(CashierError, match="Only 1 x Coffee left"):
        engine.terminal.redeem(engine.terminal.check("SVS_GC-500000000000008"), quantity=2)


def test_an_item_redemption_is_offered_and_reversed_by_its_items_name(engine: Engine) -> None:
    """The trial: the reversal list said "••0008 $0.00", the PIN prompt "Reverse the
    redemption of $0.00 on ••0008"."""
    terminal = engine.terminal
    terminal.redeem(terminal.check("SVS_GC-500000000000008"), quantity=1)
    (offered,) = reversible(terminal.shift.shift_entries())
    assert offered.moved("en_US") == "1 × Coffee"
    t = Till(SerialPatterns.load(DEFAULT_PATTERNS), currency="USD", ready=True)
    t.action("reverse")
    (look,) = t.confirm(pick=offered)
    t.undo_checked(look.request, None)  # type: ignore[union-attr]
    assert t.pending is not None
    assert t.pending.words.startswith("Reverse the redemption of 1 × Coffee on ••0008")
    receipt = terminal.reverse(offered.entry_id)
    assert ("Items", "1 × Coffee") in [(line.label, line.value) for line in receipt.lines]


@both
def test_reverse_a_redemption_once(engine: Engine, provider: Provider) -> None:
    terminal = engine.terminal
    terminal.redeem(terminal.check(ACTIVE), 1000)
    entry = terminal.shift.shift_entries()[0]
    receipt = terminal.reverse(entry.id, "wrong amount")
    assert receipt.kind == "reversal"
    assert provider_balance(provider, "500000000000001") == 7500
    with pytest.raises(CashierError, match="already reversed"):
        terminal.reverse(entry.id)
    reversal = terminal.shift.shift_entries()[1]
    with pytest.raises(
        CashierError,
        match="Only redemptions, cash-outs, cards sold and refunds to cards can be undone; "
        "this is a reversal",
    ):
        terminal.reverse(reversal.id)


@both
def test_cash_out_pays_all_opens_the_drawer_and_counts_as_cash(
    engine: Engine, provider: Provider
) -> None:
    gift = engine.terminal.check("SVS_GC-500000000000002")  # $12.50; the demo store allows cash-out
    receipt = engine.terminal.cash_out(gift)
    assert (receipt.kind, receipt.signature_line, receipt.open_drawer) == ("cash_out", True, True)
    assert receipt.lines[0] == replace(receipt.lines[0], label="Cash paid out", value="$12.50")
    x = engine.terminal.shift.x_report()
    assert ("Cash paid out", "$12.50") in [(line.label, line.value) for line in x.lines]
    assert provider_balance(provider, "500000000000002") == 0


def test_cash_out_where_the_store_does_not_allow_it(engine: Engine, provider: Provider) -> None:
    headers = {"Authorization": f"Bearer {provider.made['admin_token']}"}
    httpx.patch(
        f"{provider.server.url}/v1/gift-card-config",
        json={"store_configurations": {"cash_out_enabled": False}},
        headers=headers,
    )
    gift = engine.terminal.check(ACTIVE)
    with pytest.raises(CashierError, match="does not pay gift cards out in cash"):
        engine.terminal.cash_out(gift)


@both
def test_cash_out_by_redemption_for_providers_without_the_call(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    terminal.settings = replace(terminal.settings, cash_out="redeem")
    engine.client.cash_out = "redeem"  # as app.py builds it from that config
    receipt = terminal.cash_out(terminal.check("SVS_GC-500000000000002"))
    assert receipt.kind == "cash_out"
    entry = terminal.shift.shift_entries()[0]
    assert (entry.operation, entry.amount) == ("cash_out", 1250)
    if provider.api == "adyen":  # every cash-out is a payment of the whole balance at Adyen
        assert [p.amount for p in provider.adyen.by_psp.values()] == [1250]  # type: ignore[union-attr]
        return
    types = {t.type for t in engine.client.transactions(gift_id=entry.gift_id)}
    assert types == {"redemption"}  # the whole balance redeemed, not api.md's cash-out
    assert terminal.shift.reconciliation() == []


@both
def test_sell_a_card_by_denomination_and_refund_to_a_new_card(
    engine: Engine, provider: Provider
) -> None:
    sold = engine.terminal.sell("SVS_GC-700000000000001", pricebook="gift-card-300")
    # The sold card is in the customer's hand: its receipt masks it like the others.
    assert (sold.kind, sold.shown_serial) == ("activation", "***********0001")
    assert ("Sold for", "$300.00") in [(line.label, line.value) for line in sold.lines]
    shown = engine.terminal.card_after(sold)
    assert shown is not None
    assert (shown.code, shown.balance) == ("700000000000001", 30000)
    with pytest.raises(CashierError, match=r"already (exists|sold)"):
        engine.terminal.sell("SVS_GC-700000000000001", amount=1000)
    refund = engine.terminal.refund_to_card(1999, "ann@example.com")
    assert refund.new_card_code is not None
    assert len(refund.new_card_code) == {"posapp": 12, "square": 16, "adyen": 19}[provider.api]
    assert refund.shown_serial == refund.new_card_code  # the customer needs its code
    new_card = engine.terminal.card_after(refund)
    assert new_card is not None
    assert (new_card.code, new_card.balance) == (refund.new_card_code, 1999)
    assert provider_balance(provider, refund.new_card_code) == 1999
    with pytest.raises(CashierError, match="not an e-mail"):
        engine.terminal.refund_to_card(100, "not an address")
    if provider.api == "adyen":  # README "Adyen": no list of a till's transactions
        with pytest.raises(CashierError, match="Adyen keeps no list"):
            engine.terminal.shift.reconciliation()
        return
    assert engine.terminal.shift.reconciliation() == []


def test_balance_slip_masks_the_serial_and_says_the_balance_once(engine: Engine) -> None:
    slip = engine.terminal.print_balance(engine.terminal.check(ACTIVE))
    assert slip.kind == "balance"
    assert slip.shown_serial == "***********0001"
    assert [(line.label, line.value) for line in slip.lines] == [("Balance", "$75.00")]
    assert slip.notes == ()


def test_balance_slip_of_a_card_that_holds_money_it_cannot_spend(engine: Engine) -> None:
    slip = engine.terminal.print_balance(engine.terminal.check("SVS_GC-500000000000004"))
    said = [(line.label, line.value) for line in slip.lines]
    (expired,) = said
    assert re.fullmatch(r"Expired \d+ \w{3} \d{4}", expired[0])
    assert expired[1] == "$40.00 held"
    assert len(slip.notes) == 1
    assert slip.notes[0].startswith("This card expired on ")


def test_balance_slip_of_another_shops_card_says_so_once(engine: Engine) -> None:
    """The trial: "Cannot be used" and "Active" on one line (the provider's status of a card
    valid at another shop only)."""
    slip = engine.terminal.print_balance(engine.terminal.check("SVS_GC-500000000000009"))
    said = [(line.label, line.value) for line in slip.lines]
    assert said == [("Valid at another shop only", "$10.00 held")]
    assert not any("Active" in line.value or "Active" in line.label for line in slip.lines)


@both
def test_reversal_receipt_names_the_transaction_it_reverses(engine: Engine) -> None:
    terminal = engine.terminal
    sale = terminal.redeem(terminal.check(ACTIVE), 1000)
    receipt = terminal.reverse(terminal.shift.shift_entries()[0].id)
    said = {line.label: line.value for line in receipt.lines}
    assert re.fullmatch(r"Redemption of \d\d:\d\d", said["Reverses"])  # this shift's: no day
    assert said["Original"] == sale.transaction_id
    assert receipt.transaction_id != sale.transaction_id


def test_cashier_from_config_or_a_sign_in_for_the_shift(engine: Engine) -> None:
    terminal = engine.terminal
    assert terminal.shift.x_report().cashier == ""  # no name set: the receipt has no cashier line
    terminal.shift.configured = "Ann"  # as [terminal] cashier = "Ann" starts it
    terminal.shift.cashier = "Ann"
    terminal.shift.sign_in("  Bob   Smith ")
    assert terminal.print_balance(terminal.check(ACTIVE)).cashier == "Bob Smith"
    terminal.shift.z_report()
    assert terminal.shift.cashier == "Ann"  # the sign-in lasted the shift
    said = [(line.label, line.value) for line in terminal.shift.x_report().lines]
    assert ("Cashier Ann", f"from {terminal.clock():%H:%M}") in said


def test_reports_say_who_was_signed_in_from_when(engine: Engine) -> None:
    """The trial: Dana signed in at 20:08 after every sale, and the Z report said
    "Cashier Dana" for the whole shift. It says who was signed in from when; and (the
    second trial, H) a restart neither forgets Bea's sign-in nor makes the time before it
    "Cashier not known": the journal keeps sign-ins."""
    from posapp.terminal.service import Terminal

    terminal, journal = engine.terminal, engine.journal
    assert not terminal.shift.cashier  # no name in the test config
    opened = datetime.fromtimestamp(journal.shift_opened_at(journal.current_shift()), UTC)
    now = [opened + timedelta(seconds=1)]
    terminal.clock = terminal.shift.clock = lambda: now[0]
    terminal.redeem(terminal.check(ACTIVE), 1000)
    now[0] = opened + timedelta(minutes=38)
    terminal.shift.sign_in("Dana")

    def cashiers(report: Any) -> list[tuple[str, str]]:
        return [(line.label, line.value) for line in report.lines if "ashier" in line.label]

    assert cashiers(terminal.shift.x_report()) == [
        ("No cashier signed in", f"from {opened:%H:%M}"),
        ("Cashier Dana", f"from {now[0]:%H:%M}"),
    ]
    # posapp starts again during the shift: Dana stays on the receipts, and the report
    # says the same as before the restart.
    again = Terminal(till_settings(engine.config), engine.client, journal).shift
    again.clock = lambda: now[0] + timedelta(minutes=5)
    again.resume_sign_in()
    assert again.cashier == "Dana"
    assert cashiers(again.x_report()) == cashiers(terminal.shift.x_report())
    z = again.z_report()
    assert z.cashier == ""  # no single "Cashier Dana" for the whole shift
    assert [label for label, _ in cashiers(z)] == ["No cashier signed in", "Cashier Dana"]
    assert not again.cashier  # a sign-in lasts one shift, across restarts too
    third = Terminal(till_settings(engine.config), engine.client, journal).shift
    third.resume_sign_in()
    assert not third.cashier
    # A journal from before sign-ins were kept: who was on is not known, and it says so
    # once (issue 19.15: not "Cashier not known" beside "No cashier signed in").
    journal._connect().execute("DELETE FROM sign_ins")
    assert [label for label, _ in cashiers(third.x_report())] == ["Cashier not known"]
    third.clock = lambda: datetime.now(UTC) + timedelta(hours=2)
    third.sign_in("Ann")
    assert [label for label, _ in cashiers(third.x_report())] == [
        "Cashier not known",
        "Cashier Ann",
    ]


def test_reports_count_item_redemptions_apart_as_items(engine: Engine) -> None:
    """Issue 19.15: an item gift's redemption was one of "Redemptions (2) $10.00"."""
    terminal = engine.terminal
    terminal.redeem(terminal.check(ACTIVE), 1000)
    items = terminal.check("SVS_GC-500000000000008")  # 2 x Coffee
    terminal.redeem(items, quantity=1)
    terminal.redeem(terminal.check("SVS_GC-500000000000008"), quantity=1)
    for report in (terminal.shift.x_report(), terminal.shift.z_report()):
        said = [(line.label, line.value) for line in report.lines]
        assert said[said.index(("Redemptions (1)", "$10.00")) + 1] == (
            "Item redemptions (2)",
            "2 × Coffee",
        )
        assert ("Net on cards", "-$10.00") in said


@both
def test_x_and_z_reports_and_reconciliation(engine: Engine, provider: Provider) -> None:
    terminal = engine.terminal
    terminal.redeem(terminal.check(ACTIVE), 1000)
    terminal.redeem(terminal.check(ACTIVE), 500)
    terminal.sell("SVS_GC-700000000000002", amount=2000)
    x_report = terminal.shift.x_report()
    x = {line.label: line.value for line in x_report.lines}
    assert x["Redemptions (2)"] == "$15.00"
    assert x["Cards sold (1)"] == "$20.00"
    assert x["Net on cards"] == "$5.00"  # 20.00 sold, 15.00 spent
    assert {"Shift opened", "Up to"} <= set(x)
    assert x_report.footer == ()
    if provider.api == "adyen":  # README "Adyen": no list of a till's transactions
        with pytest.raises(CashierError, match="Adyen keeps no list"):
            terminal.shift.reconciliation()
    else:
        unseen_redemption_is_a_mismatch(terminal, provider)
    z = terminal.shift.z_report()
    assert z.kind == "z_report"
    said = {line.label: line.value for line in z.lines}
    assert {"Shift opened", "Shift closed", "Net on cards"} <= set(said)
    assert "Thank you!" not in z.footer + z.notes
    assert terminal.shift.shift_entries() == []  # the next shift starts empty


def unseen_redemption_is_a_mismatch(terminal: Terminal, provider: Provider) -> None:
    assert terminal.shift.reconciliation() == []
    # A redemption at this location that the journal never saw is a mismatch.
    gift_id = terminal.check(ACTIVE).id
    if provider.fake is not None:
        outside = SquareClient(
            provider.server.url, provider.token, location_id=provider.fake.location_id
        )
        outside.send(intents.redeem(gift_id, amount=1), "elsewhere")
        outside.close()
    else:
        admin = {
            "Authorization": f"Bearer {provider.made['admin_token']}",
            "Idempotency-Key": "elsewhere",
        }
        httpx.post(
            f"{provider.server.url}/v1/gifts/{gift_id}/redemptions",
            json={"amount": 1},
            headers=admin,
        )
    found = terminal.shift.reconciliation()
    assert len(found) == 1
    assert "is not in the journal" in found[0]
