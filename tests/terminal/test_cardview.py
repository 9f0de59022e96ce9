"""The card panel's words for every demo card, read from the real provider: a card that holds
money it cannot pay says what it holds and why; a cash-out says "Cashed out", neutrally."""

from __future__ import annotations

import re

import httpx
import pytest

from posapp.app import Engine
from posapp.core.cardview import card_view
from tests.terminal.conftest import Provider

DAY = r"\d{1,2} [A-Z][a-z]{2} \d{4}"


@pytest.mark.parametrize(
    ("code", "amount", "badge", "tone", "why", "can_pay"),
    [
        ("500000000000001", "$75.00", "Active", "ok", "", True),
        ("500000000000003", "$0.00", "Used up", "muted", "Nothing left on this card", False),
        ("500000000000004", "$40.00", "Expired", "warn", f"\\$40.00 held, expired {DAY}", False),
        (
            "500000000000005",
            "$30.00",
            "Not usable yet",
            "warn",
            f"\\$30.00 held, usable from {DAY}",
            False,
        ),
        ("500000000000006", "$25.00", "Disabled", "warn", r"\$25.00 held, card disabled", False),
        ("500000000000007", "$15.00", "Canceled", "bad", r"\$15.00 held, card canceled", False),
        ("500000000000008", "2 x Coffee", "Active", "ok", "", True),
        (
            "500000000000009",
            "$10.00",
            "Another shop's card",
            "warn",
            r"\$10.00 held, valid at another shop only",
            False,
        ),
    ],
)
def test_what_each_demo_card_shows(
    engine: Engine, code: str, amount: str, badge: str, tone: str, why: str, can_pay: bool
) -> None:
    shown = card_view(engine.terminal.check(f"SVS_GC-{code}"))
    assert (shown.amount, shown.badge, shown.badge_tone, shown.can_pay) == (
        amount,
        badge,
        tone,
        can_pay,
    )
    assert re.fullmatch(why, shown.why), shown.why
    assert shown.serial.endswith(code[-4:])
    assert code not in shown.serial + shown.details


def test_a_cash_out_shows_cashed_out_in_neutral_colours(engine: Engine) -> None:
    terminal = engine.terminal
    receipt = terminal.cash_out(terminal.check("SVS_GC-500000000000002"))
    after = terminal.card_after(receipt)
    assert after is not None
    assert after.cashed_out  # read again after the cash-out: its own transactions say so
    shown = card_view(after)
    assert (shown.badge, shown.badge_tone, shown.amount, shown.can_pay) == (
        "Cashed out",
        "muted",
        "$0.00",
        False,
    )
    assert after.cashed_out  # the provider's "disabled", read with its cash-out
    later = card_view(terminal.check("SVS_GC-500000000000002"))  # scanned again another day
    assert (later.badge, later.badge_tone, later.amount, later.can_pay) == (
        "Cashed out",
        "muted",
        "$0.00",
        False,
    )
    slip = terminal.print_balance(terminal.check("SVS_GC-500000000000002"))
    assert [(line.label, line.value) for line in slip.lines] == [("Cashed out", "$0.00 held")]


def test_a_used_up_card_a_manager_disabled_reads_disabled(
    engine: Engine, provider: Provider
) -> None:
    terminal = engine.terminal
    gift = terminal.check("SVS_GC-500000000000002")
    terminal.redeem(gift, use_all=True)
    admin = {"Authorization": f"Bearer {provider.made['admin_token']}"}
    httpx.patch(
        f"{provider.server.url}/v1/gift-cards/{gift.id}", json={"enabled": False}, headers=admin
    ).raise_for_status()
    later = terminal.check("SVS_GC-500000000000002")
    assert (later.status, later.balance, later.cashed_out) == ("disabled", 0, False)
    assert card_view(later).badge == "Disabled"
