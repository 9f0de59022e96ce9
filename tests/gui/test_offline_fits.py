"""Trial 6B, 13 (shot 51): the shift limit's refusal on the amount overlay, in German, lost
its last line under the dialog's bottom edge. Now said as the amount is typed, shorter, and
the dialog keeps room for it: every line of the note inside the panel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from posapp import i18n
from posapp.config import Config
from posapp.config_offline import OfflineConfig
from posapp.ui.amount import AmountOverlay
from tests.gui.conftest import Till, person_types, pump_until, wedge_scan
from tests.gui.test_offline_till import provider_stopped

CARD, OTHER = "SVS_GC-500000000000001", "SVS_GC-500000000000002"  # $75.00, $12.50


@pytest.fixture
def till_config(till_config: Config) -> Config:
    offline = OfflineConfig(floor=2500, shift_limit=3500, card_seen_days=30)
    return replace(till_config, offline=offline)


@pytest.fixture
def german() -> Iterator[None]:
    i18n.use("de")
    yield
    i18n.use("en")


def test_the_shift_limits_refusal_fits_its_dialog_in_german(till: Till, german: None) -> None:
    window = till.window
    for scan, shows in ((CARD, "$75.00"), (OTHER, "$12.50")):  # each seen online
        wedge_scan(window, scan)
        pump_until(till.root, lambda s=shows: window.panel.balance.cget("text") == s, what=shows)
        window.escape()
    provider_stopped(till)
    offline = till.engine.terminal.offline
    last = offline.last_known("500000000000002")
    assert last is not None
    offline.redeem(last, 1250)  # $12.50 of the shift's $35.00 taken: $22.50 left
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.panel.status.cget("text") == "OFFLINE", what="OFFLINE")
    window.till.selling_offline.taken = 1250  # as the status watch says it
    window.act("redeem")
    overlay = pump_until(
        till.root, lambda: window.overlay if isinstance(window.overlay, AmountOverlay) else None
    )
    person_types(window, overlay.field, "25.00")
    note = overlay.note
    pump_until(till.root, lambda: "$22.50" in str(note.cget("text")), what="the refusal")
    till.root.update_idletasks()
    bottom = note.winfo_y() + note.winfo_reqheight()
    assert bottom <= overlay.panel.winfo_height(), (note.cget("text"), bottom)
