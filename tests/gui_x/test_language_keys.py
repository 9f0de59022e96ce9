"""The till in German and French through real keys (issue 25.1): the card's words in the
screen's language, a redemption by the keys, and the reports' keys the README gives (X, Z,
L, R), which in French were the words' first letters R, R, D, R until trial 6C."""

from __future__ import annotations

import pytest

from hardware.printers.decode import decode
from posapp.i18n import _
from tests.gui_x.conftest import Till
from tests.gui_x.steps import closed, typed_amount
from tests.gui_x.test_till import CARD, CODE, moved, shown
from tests.i18n_marks import speaking


@pytest.mark.parametrize(("language", "available"), [("de", "verfügbar"), ("fr", "disponible")])
def test_a_redemption_and_the_x_report_by_the_keys_in_the_screens_language(
    till: Till, language: str, available: str
) -> None:
    with speaking(language):
        shown(till, CARD, "$75.00")
        details = str(till.window.panel.details.cget("text"))
        assert f"$75.00 {available}" in details  # ours, not the provider's English line
        till.key("F2")
        typed_amount(till, "500", "$5.00")
        till.key("Return")
        till.pump_until(lambda: len(till.printer.jobs) == 1, "the redemption's receipt")
        closed(till)
        assert moved(till, CODE)[-1] == ("redemption", 500)  # the provider's ledger
        till.key("F10")
        till.pump_until(lambda: till.window.till.screen == "reports", "the reports")
        till.settle()
        till.key("x")  # the README's key, whatever the words
        till.pump_until(lambda: len(till.printer.jobs) == 2, "the X report printed")
        lines = decode(till.printer.jobs[1]).lines
        title = _("X REPORT (SHIFT SO FAR)")
        assert title != "X REPORT (SHIFT SO FAR)"  # the screen's language, not English
        assert title in lines, lines[:8]
        till.key("Escape")
        closed(till)
