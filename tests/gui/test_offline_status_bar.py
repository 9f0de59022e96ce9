"""The status bar while the till sells offline (issue 24; trial 6B, 6 and 11): it says at once
what the screen says (an offline redemption waiting, the provider not reached), not at its
next look 10 s later; and its four boxes fit the window, on two lines where one is too narrow.
The watch's next look is held off in each: a bar that waits for it fails."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from posapp.config import Config
from posapp.config_offline import OfflineConfig
from tests.gui import test_offline_till as offline_till
from tests.gui.conftest import Till, pump_until, wedge_scan
from tests.gui.test_offline_till import CARD, provider_stopped

OFFLINE = OfflineConfig(floor=2500, shift_limit=10000, card_seen_days=30)
SOON = 5.0  # seconds: half the watch's interval


def held_off(till: Till) -> None:
    """The watch's next look cancelled: only what the till hears turns the bar now."""
    bar = till.window.status_bar
    if bar.job is not None:
        till.root.after_cancel(bar.job)


@pytest.fixture
def till_config(till_config: Config) -> Config:
    return replace(till_config, offline=OFFLINE)


def test_an_offline_redemption_is_counted_on_the_bar_at_once(till: Till) -> None:
    window = till.window
    # The settler says its count at the end of a pass, which retries each queued one with
    # the client's backoff (seconds, on a real till): the bar does not wait for it.
    till.engine.settler.on_change = lambda _count: None
    stopped = offline_till.provider_stopped

    def stopped_then_held(t: Till) -> None:
        stopped(t)
        held_off(t)

    offline_till.provider_stopped = stopped_then_held  # type: ignore[assignment]
    try:
        offline_till.test_a_card_seen_offline_redeems_through_the_confirm_that_names_it(till)
    finally:
        offline_till.provider_stopped = stopped
    assert window.till.message.startswith("Taken offline")
    label = till.window.bar["to_settle"]
    pump_until(
        till.root,
        lambda: label.cget("text") == "not confirmed yet: 1",
        timeout=SOON,
        what=f"the bar to count it, said {label.cget('text')!r}",
    )
    assert str(label.cget("style")) == "warn.Status.TLabel"


def test_a_scan_that_finds_the_provider_gone_turns_the_bar_at_once(till: Till) -> None:
    window = till.window
    wedge_scan(window, CARD)  # seen online
    pump_until(till.root, lambda: window.panel.balance.cget("text") == "$75.00", what="$75.00")
    window.escape()
    label = window.bar["provider"]
    pump_until(till.root, lambda: "online" in str(label.cget("text")), what="online")
    till.provider.proxy.close()  # gone; the watch's next look is 10 s away
    held_off(till)
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.panel.status.cget("text") == "OFFLINE", what="OFFLINE")
    pump_until(
        till.root,
        lambda: "offline:" in str(label.cget("text")),
        timeout=SOON,
        what=f"the bar to say it, said {label.cget('text')!r}",
    )


def test_the_bar_fits_a_1024_window_in_two_rows_when_one_is_too_narrow(till: Till) -> None:
    provider_stopped(till)
    held_off(till)
    bar = till.window.status_bar
    till.root.geometry("1024x768")

    def painted(provider: str, printer: str, to_settle: int) -> None:
        """The bar's words as given, again at each look (a look in flight paints its own)."""
        status = bar.status
        status.provider, status.printer, status.to_settle = provider, printer, to_settle
        bar.paint()
        till.root.update_idletasks()

    def inside() -> bool:
        # The trial's German bar (shot 21), as wide as it was.
        painted(
            "offline: Verkauf bis $25.00 pro Karte",
            "printer: Bilder in ~/receipts/2026-12-06-082640",
            2,
        )
        width = bar.frame.winfo_width()
        right = max(label.winfo_x() + label.winfo_width() for label in bar.labels.values())
        return bar.rows == 2 and right <= width

    pump_until(till.root, inside, timeout=SOON, what="every box inside the bar, on two rows")
    assert till.window.bar["to_settle"].winfo_ismapped()

    def one_row() -> bool:
        painted("provider: online, 3 ms", "printer: ok", 0)
        return bar.rows == 1

    pump_until(till.root, one_row, timeout=SOON, what="one row again")


def test_every_offline_refusal_is_in_the_tills_log(
    till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    """Trial 6B, 10: none of the offline refusals was in the log."""
    window = till.window
    wedge_scan(window, CARD)  # $75.00, seen online
    pump_until(till.root, lambda: window.panel.balance.cget("text") == "$75.00", what="$75.00")
    window.escape()
    provider_stopped(till)
    caplog.set_level(logging.INFO, logger="posapp.offline")
    wedge_scan(window, "SVS_GC-500000000000009")  # never seen online
    pump_until(till.root, lambda: "never seen card" in window.till.message, what="never seen")
    wedge_scan(window, CARD)
    pump_until(till.root, lambda: window.panel.status.cget("text") == "OFFLINE", what="OFFLINE")
    window.act("use_all")  # F3: $75.00 is over the floor
    refused = [r.getMessage() for r in caplog.records if r.name == "posapp.offline"]
    assert any("never seen card ••0009" in said for said in refused), refused
    assert any("a card may pay at most $25.00" in said for said in refused), refused
    assert all(said.startswith("refused offline: ") for said in refused), refused
