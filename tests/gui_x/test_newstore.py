"""The till in front of NewStore through the real window (issue 22 point 4): keys through the
X server check a card's balance and cash it out against the fake NewStore; checked on the
fake's ledger, the journal and the screen. F2 says where a NewStore card is spent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.gui_x.conftest import PIN, Till, XServer, close_till, open_till, pin_hash
from tests.gui_x.steps import menu_screen, overlay_open
from tests.gui_x.test_till import SMALL, SMALL_CODE, shown
from tests.terminal.conftest import Provider

pytestmark = [pytest.mark.gui, pytest.mark.parametrize("api", ["newstore"])]


@pytest.fixture
def newstore_till(xserver: XServer, provider: Provider, tmp_path: Path) -> Iterator[Till]:
    import gc

    config = provider.config(provider.proxy.url)
    config = replace(
        config,
        manager=replace(config.manager, pin_hash=pin_hash()),
        window=replace(config.window, fullscreen=xserver.mode == "kiosk"),
    )
    gc.disable()  # as the till fixture: no collection on a worker thread while Tk lives
    made = open_till(xserver, provider, config, tmp_path / "journal.db")
    yield made
    close_till(made)


def test_a_balance_checked_and_cashed_out_at_newstore_by_keys(newstore_till: Till) -> None:
    till = newstore_till
    fake = till.provider.newstore
    assert fake is not None
    shown(till, SMALL, "$12.50")
    assert fake.movements == []  # a balance check moves nothing
    till.shot("newstore-balance")
    till.key("F8")
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: till.printer.jobs, "the cash-out's receipt")
    till.settle()
    till.shot("newstore-cashed-out")
    assert [(m["type"], m["number"], m["amount"]) for m in fake.movements] == [
        ("gift_card_cash_out", SMALL_CODE, 1250)
    ]
    assert fake.card(SMALL_CODE) == {"number": SMALL_CODE, "balance": 0, "status": "deactivated"}
    (entry,) = till.journal()
    assert (entry.operation, entry.state, entry.amount) == ("cash_out", "completed", 1250)


def refused_at_the_key(till: Till, key: str, words: str) -> None:
    """The key says at once where it is done, with no amount pad, confirm or PIN opened."""
    till.key(key)
    till.pump_until(lambda: till.says().startswith(words), f"{key} refused in words")
    till.settle()
    assert till.window.overlay is None
    assert till.window.till.phase in ("idle", "card")


def test_f2_f3_f6_f7_are_refused_at_the_key_and_move_nothing(newstore_till: Till) -> None:
    """The NewStore trial (findings 1 and 5): F2, F3, F6 and F7 opened the amount pad, the
    confirm or the manager's PIN before NewStore refused; F2 and F3 read "Redeem from ••0002"."""
    till = newstore_till
    fake = till.provider.newstore
    assert fake is not None
    shown(till, SMALL, "$12.50")
    asked: list[str] = []
    fake.recorder = lambda exchange: asked.append(exchange[0])
    buttons = till.window.buttons
    for name, words in (
        ("redeem", "Redeem: at the NewStore checkout"),
        ("use_all", "Use full balance: at the NewStore checkout"),
    ):
        assert buttons[name].instate(["disabled"])
        assert buttons[name].cget("text").startswith(words)
    assert not buttons["cash_out"].instate(["disabled"])  # NewStore does cash out
    till.shot("newstore-keys")
    refused_at_the_key(till, "F2", "NewStore gift cards are spent at the NewStore checkout")
    refused_at_the_key(till, "F3", "NewStore gift cards are spent at the NewStore checkout")
    refused_at_the_key(till, "F6", "A refund to a NewStore gift card is made at the NewStore")
    refused_at_the_key(till, "F7", "NewStore gift card payments and cash-outs are not undone")
    till.shot("newstore-f7")
    assert set(asked) <= {"/v0/c/gift_card/balance"}
    assert (fake.movements, till.journal()) == ([], [])


def test_a_cash_out_receipt_scanned_is_refused_before_the_pin(newstore_till: Till) -> None:
    """F7's cash-out said "the customer hands back the $12.50 cash" and asked the manager's
    PIN before NewStore refused (the trial's finding 1): a receipt scanned is refused first."""
    till = newstore_till
    fake = till.provider.newstore
    assert fake is not None
    shown(till, SMALL, "$12.50")
    till.key("F8")
    overlay_open(till, "ConfirmOverlay")
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: till.printer.jobs, "the cash-out's receipt")
    till.settle()
    (entry,) = till.journal()
    till.scan(till.engine.journal.receipt_number(entry.id))
    till.pump_until(lambda: "are not undone" in till.says(), "the receipt's undo refused")
    till.settle()
    assert till.window.overlay is None
    assert "hands back" not in till.says()
    assert [m["type"] for m in fake.movements] == ["gift_card_cash_out"]


def test_f2_says_the_card_is_spent_at_the_newstore_checkout_and_moves_nothing(
    newstore_till: Till,
) -> None:
    till = newstore_till
    fake = till.provider.newstore
    assert fake is not None
    shown(till, SMALL, "$12.50")
    asked: list[str] = []
    fake.recorder = lambda exchange: asked.append(exchange[0])
    till.key("F2")
    till.pump_until(lambda: "NewStore checkout" in till.says(), "the refusal in words")
    till.settle()
    till.shot("newstore-f2")
    assert till.says().startswith("NewStore gift cards are spent at the NewStore checkout")
    # Nothing was asked of NewStore but the card's balance, read again after the refusal.
    assert set(asked) <= {"/v0/c/gift_card/balance"}
    assert (fake.movements, till.balance_shown()) == ([], "$12.50")


def test_gift_cards_screen_says_where_newstores_cards_are_managed(newstore_till: Till) -> None:
    """The NewStore trial (finding 6): F12 > Gift cards asked for the admin token and said
    "Selling, redeeming and checking cards work as usual"; NewStore redeems at its checkout."""
    till = newstore_till
    screen = menu_screen(till, "cards")
    till.settle()
    note = screen.note.cget("text")
    assert note.startswith("With NewStore, gift cards are managed in NewStore")
    assert "admin token" not in note
    assert "redeeming" not in note
    on = [words for words, b in screen.actions.items() if not b.instate(["disabled"])]
    assert on == ["Close (Esc)"]
    till.shot("newstore-gift-cards")
