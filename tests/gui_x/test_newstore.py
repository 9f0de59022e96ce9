"""The till in front of NewStore through the real window (issue 22 point 4): keys through the
X server check a card's balance and cash it out against the fake NewStore; checked on the
fake's ledger, the journal and the screen. F2 says where a NewStore card is spent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.gui_x.conftest import PIN, Till, XServer, close_till, open_till, pin_hash
from tests.gui_x.steps import overlay_open, typed_amount
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
    typed_amount(till, "500", "$5.00")
    till.key("Return")
    till.pump_until(lambda: "NewStore checkout" in till.says(), "the refusal in words")
    till.settle()
    till.shot("newstore-f2")
    assert till.says().startswith("NewStore gift cards are spent at the NewStore checkout")
    # Nothing was asked of NewStore but the card's balance, read again after the refusal.
    assert set(asked) <= {"/v0/c/gift_card/balance"}
    assert (fake.movements, till.balance_shown()) == ([], "$12.50")
