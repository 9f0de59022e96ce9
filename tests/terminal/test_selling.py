"""Issue 19.3 and 19.4 against both APIs the terminal speaks: a card scanned to sell is looked
up before the confirm (one already sold says what it holds), and a sale outside [sale]'s
amounts is refused in words before any call."""

from __future__ import annotations

import pytest

from posapp.app import Engine
from posapp.terminal.activation import sale_refusal
from posapp.terminal.ports import CashierError
from tests.terminal.conftest import APIS, Provider

both = pytest.mark.parametrize("api", APIS)


def refusal(engine: Engine, scanned: str) -> str | None:
    terminal = engine.terminal
    return sale_refusal(terminal.provider, terminal.card_ref(scanned), locale="en_US")


@both
def test_a_card_already_sold_says_what_it_holds(engine: Engine) -> None:
    assert refusal(engine, "SVS_GC-500000000000002") == (
        "Card ••0002 is already sold and holds $12.50: it cannot be sold again. Give the "
        "customer another card and scan it, or Esc to cancel the sale."
    )


@both
def test_a_new_card_can_be_sold(engine: Engine, provider: Provider) -> None:
    assert refusal(engine, "SVS_GC-700000000000011") is None  # blank: unknown, or PENDING
    assert refusal(engine, "SVS_GC-799999999999999") is None  # never seen by the provider


@pytest.mark.parametrize(
    ("scan", "says"),
    [
        ("SVS_GC-500000000000007", "Card ••0007 was canceled: it cannot be sold."),
        ("SVS_GC-500000000000003", "Card ••0003 was sold before (Used up; it holds $0.00)"),
        ("SVS_GC-500000000000008", "Card ••0008 is already an item gift card"),
    ],
)
def test_a_card_sold_before_in_any_state_is_not_sold_again(
    engine: Engine, scan: str, says: str
) -> None:
    said = refusal(engine, scan)
    assert said is not None
    assert said.startswith(says)


@both
def test_a_sale_outside_the_stores_amounts_is_refused_before_any_call(engine: Engine) -> None:
    terminal = engine.terminal
    with pytest.raises(CashierError, match=r"sold for \$5.00 or more, not \$0.25"):
        terminal.sell("SVS_GC-700000000000011", amount=25)
    with pytest.raises(CashierError, match=r"sold for \$500.00 at most, not \$500.01"):
        terminal.sell("SVS_GC-700000000000011", amount=50001)
    assert terminal.shift.shift_entries() == []  # nothing journalled, nothing sent
