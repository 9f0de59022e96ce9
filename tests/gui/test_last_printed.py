"""F9 reprints the last receipt that went to the printer (or that the printer could not take),
never a report only shown on the screen (the review of the last stop: opening Reports made
its unprinted X report F9's "last receipt")."""

from __future__ import annotations

import pytest

from hardware.printers.decode import decode
from posapp.ui.reports import ReportsScreen
from tests.gui import test_cashier
from tests.gui.conftest import Till, key, pump_until
from tests.gui.test_cashier import overlay_of

pytestmark = pytest.mark.gui


def test_f9_after_the_reports_screen_reprints_the_redemption_not_the_shown_x_report(
    till: Till,
) -> None:
    test_cashier.test_f2_amount_enter_redeems_and_prints(
        till
    )  # a redemption printed: $25.00 from ••0001
    key(till.window.scan_field, "F10", 2)
    reports = overlay_of(till, ReportsScreen)
    assert isinstance(reports, ReportsScreen)
    pump_until(till.root, lambda: "Redemptions (1)" in reports.text.get("1.0", "end"))
    pump_until(till.root, lambda: reports.note.cget("text") == "The shift so far", what="shown")
    assert len(till.printer.jobs) == 1  # shown only: nothing printed
    till.window.escape()
    pump_until(till.root, lambda: till.window.overlay is None, what="the reports to close")
    key(till.window.scan_field, "F9", 3)
    pump_until(till.root, lambda: len(till.printer.jobs) == 2, what="the reprint")
    lines = decode(till.printer.jobs[1]).lines
    assert "DUPLICATE" in lines
    assert not any("X REPORT" in line for line in lines)
    assert any(line.startswith("Amount") and line.endswith("$25.00") for line in lines)
    assert decode(till.printer.jobs[1]).barcodes == decode(till.printer.jobs[0]).barcodes


def test_f9_reprints_an_x_report_the_printer_could_not_take(till: Till) -> None:
    """Pressed X with the paper out: the report is kept unprinted, and F9 prints it once the
    paper is back (not the redemption before it)."""
    test_cashier.test_f2_amount_enter_redeems_and_prints(till)
    key(till.window.scan_field, "F10", 2)
    reports = overlay_of(till, ReportsScreen)
    assert isinstance(reports, ReportsScreen)
    pump_until(till.root, lambda: reports.note.cget("text") == "The shift so far", what="shown")
    till.printer.paper_out = True
    reports.shortcuts["x"]()
    pump_until(till.root, lambda: "paper out" in reports.note.cget("text"), what="the refusal")
    till.printer.paper_out = False
    till.window.escape()
    pump_until(till.root, lambda: till.window.overlay is None, what="the reports to close")
    key(till.window.scan_field, "F9", 3)
    pump_until(till.root, lambda: len(till.printer.jobs) == 2, what="the reprint")
    lines = decode(till.printer.jobs[1]).lines
    assert "DUPLICATE" in lines
    assert any("X REPORT" in line for line in lines)


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_the_reports_keys_are_x_z_l_r_in_every_language(till: Till, language: str) -> None:
    """The README's keys whatever the screen's language (trial 6C: French's first letters
    were R, R, D, R, so X printed nothing and R ran the reconcile); each key underlined in
    its button's words, or said after them where the words lack it."""
    from posapp.ui.reports import keyed_words
    from tests.i18n_marks import speaking

    with speaking(language):
        key(till.window.scan_field, "F10", 2)
        reports = overlay_of(till, ReportsScreen)
        assert isinstance(reports, ReportsScreen)
        assert set(reports.shortcuts) == {"x", "z", "l", "r"}
        reports.shortcuts["x"]()
        pump_until(till.root, lambda: len(till.printer.jobs) == 1, what="the X report")
        assert not reports.empty_asked  # the X report printed, no Z asked for
    assert keyed_words("Rapport X", "x") == ("Rapport X", 8)
    assert keyed_words("Abgleich", "r") == ("Abgleich (R)", 10)
