"""The till and the cash-out law (issue 25.3): the panel says it, F8 offers the cash-out
with the law named on the confirm even where the store's own policy would not, and the
request carries the statute. The store's day decides (California: $10 until 2026-03-31,
$15 from 2026-04-01)."""

from __future__ import annotations

from datetime import date

from posapp.core.actions import ACTION_BY_NAME
from posapp.core.cash_out import CashOutPolicy
from posapp.core.cash_out_law import StoreLaw
from posapp.core.till import Till
from posapp.core.till_request import CashOut
from tests.core.test_till import gift, shown, till

CA = "California Civil Code 1749.5"
SAYS = f"The customer may ask for this balance in cash ({CA})"
CARD = "500000000000002"


def in_california(on: date, **kw: object) -> Till:
    return till(law=StoreLaw("US-CA", lambda: on), **kw)


def test_the_panel_says_the_law_from_the_day_it_covers_the_balance() -> None:
    day = date(2026, 3, 31)
    t = till(law=StoreLaw("US-CA", lambda: day))
    shown(t, CARD, gift(CARD, 1250))  # $12.50: over $10, under $15
    assert t.view is not None
    assert t.view.law == ""
    day = date(2026, 4, 1)  # the same card on screen past midnight
    assert t.view.law == SAYS
    assert t.cash_law is not None
    assert t.cash_law.threshold == 1500


def test_no_jurisdiction_no_law_on_the_panel() -> None:
    t = till()
    shown(t, CARD, gift(CARD, 900))
    assert t.view is not None
    assert t.view.law == ""
    assert t.cash_law is None


def test_f8_offers_the_cash_out_the_store_forbids_and_names_the_law() -> None:
    forbidden = CashOutPolicy(allowed=False, most=None)
    t = in_california(date(2026, 12, 6), cash_out=forbidden)
    g = shown(t, CARD, gift(CARD, 900))
    cash_out = ACTION_BY_NAME["cash_out"]
    assert cash_out.enabled(t)
    assert cash_out.words(t) == "Cash out $9.00 from ••0002"
    t.action("cash_out")
    assert t.phase == "confirming"
    assert t.pending is not None
    assert t.pending.words == "Pay out $9.00 in cash from ••0002"
    assert t.pending.detail == (
        f"Required by {CA} when the customer asks for a balance this small in cash"
    )
    assert t.pending.job == CashOut(g, 900, CA)


def test_above_the_threshold_the_store_policy_still_refuses() -> None:
    forbidden = CashOutPolicy(allowed=False, most=None)
    t = in_california(date(2026, 12, 6), cash_out=forbidden)
    shown(t, CARD, gift(CARD, 1500))  # $15.00: not under $15
    assert t.view is not None
    assert t.view.law == ""
    assert not ACTION_BY_NAME["cash_out"].enabled(t)
    t.action("cash_out")
    assert t.phase != "confirming"
    assert "does not pay gift cards out in cash" in t.message


def test_a_store_that_allows_cash_outs_names_the_law_too() -> None:
    t = in_california(date(2026, 12, 6), cash_out=CashOutPolicy(allowed=True, most=None))
    g = shown(t, CARD, gift(CARD, 900))
    t.action("cash_out")
    assert t.pending is not None
    assert t.pending.job == CashOut(g, 900, CA)
