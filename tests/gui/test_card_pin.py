"""Issue 21 point 3 in the real window: a card whose brand needs its PIN, the real provider
behind tests/pin_card.py's double of such a brand. The PIN a scan carries (a pattern's `pin`
group) or the customer types never shows in the window's texts, the journal's file, the logs
or the printed receipt; a card with none asks for it on the masked keypad."""

from __future__ import annotations

import contextlib
import logging
import tkinter as tk
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from posapp.config import Config
from posapp.core.serials import SerialPattern
from posapp.ui.card_pin import CardPinOverlay
from tests.gui import conftest
from tests.gui.conftest import Till, person_types, pump_until, wedge_scan
from tests.pin_card import PinCards

pytestmark = pytest.mark.gui
CODE = "500000000000001"  # $75.00 in the demo store
PIN = "90817263"
PINNED = SerialPattern("SVS with PIN", r"^SVS_GC-(\d{15})(?:-(?P<pin>\d{4,8}))?$", case="upper")


@pytest.fixture(autouse=True)
def pin_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The till's config (tests/gui/conftest.py builds it) with a pattern taking the PIN."""
    made = conftest.terminal_config

    def with_pin(url: str, **provider: Any) -> Config:
        return replace(made(url, **provider), patterns=(PINNED,))

    monkeypatch.setattr(conftest, "terminal_config", with_pin)


@pytest.fixture
def pins(till: Till) -> Iterator[PinCards]:
    double = PinCards(till.engine.client, {CODE: PIN})
    till.engine.terminal.provider = double
    return double


def texts(widget: tk.Misc) -> list[str]:
    """Every text the window shows: labels, buttons, fields, lists."""
    found: list[str] = []
    for child in widget.winfo_children():
        for option in ("text",):
            with contextlib.suppress(tk.TclError):
                found.append(str(child.cget(option)))
        if isinstance(child, tk.Entry | tk.ttk.Entry):
            found.append(str(child.get()))
        if isinstance(child, tk.ttk.Treeview):
            for row in child.get_children():
                found += [str(v) for v in child.item(row, "values")]
        found += texts(child)
    return found


def redeem_all(till: Till) -> None:
    till.window.act("use_all")
    pump_until(till.root, lambda: till.window.till.phase == "confirming", what="the confirm")
    till.window.overlay.enter()  # type: ignore[union-attr]
    pump_until(
        till.root,
        lambda: till.window.till.phase == "card" and till.window.last_job is not None,
        what="the redemption",
    )
    assert till.window.till.message.startswith("Gift card redemption: $75.00 done")


def nowhere(till: Till, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The PIN in none of the four places a person or a file could read it."""
    assert not [t for t in texts(till.root) if PIN in t]
    assert PIN.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("journal.db*"))
    assert PIN not in caplog.text
    assert till.window.last_job is not None
    assert PIN not in till.window.last_job.decode("cp437")


def test_a_pin_from_the_scan_goes_to_the_provider_and_shows_nowhere(
    till: Till, pins: PinCards, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wedge_scan(till.window, f"SVS_GC-{CODE}-{PIN}")
    pump_until(till.root, lambda: till.window.till.card is not None, what="the card shown")
    assert till.window.overlay is None  # the scan carried the PIN: nothing asked
    redeem_all(till)
    assert till.provider.balance(CODE) == 0
    assert pins.sent.count(PIN) >= 2  # the check and the redemption
    assert pins.refused == 0
    nowhere(till, tmp_path, caplog)


def test_a_card_with_no_pin_in_its_scan_asks_for_it_and_a_wrong_one_asks_again(
    till: Till, pins: PinCards, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wedge_scan(till.window, f"SVS_GC-{CODE}")
    overlay = pump_until(
        till.root,
        lambda: isinstance(till.window.overlay, CardPinOverlay) and till.window.overlay,
        what="the card's PIN keypad",
    )
    assert till.window.till.card is None
    assert "$" not in str(till.window.panel.balance.cget("text"))  # the card is not shown
    person_types(till.window, overlay.first_field, "1111")
    assert str(overlay.dots.cget("text")) == "••••"
    till.window.overlay.enter()  # type: ignore[union-attr]
    pump_until(
        till.root,
        lambda: str(overlay.title.cget("text")) == "Wrong PIN: the PIN of card ••0001 again",
        what="the wrong PIN said",
    )
    assert str(overlay.dots.cget("text")) == ""
    for digit in PIN:  # a touch on each key of the keypad
        overlay.pad_keys[digit].invoke()
    till.root.update()
    assert str(overlay.dots.cget("text")) == "•" * len(PIN)
    nowhere_yet = [t for t in texts(till.root) if PIN in t]
    assert nowhere_yet == []
    till.window.overlay.enter()  # type: ignore[union-attr]
    pump_until(till.root, lambda: till.window.till.card is not None, what="the card shown")
    assert till.window.overlay is None
    redeem_all(till)
    assert till.provider.balance(CODE) == 0
    assert pins.sent[-2:] == [PIN, PIN]  # the redemption, and the card read after it
    nowhere(till, tmp_path, caplog)


def test_esc_on_the_keypad_forgets_it_all_and_shows_no_card(till: Till, pins: PinCards) -> None:
    wedge_scan(till.window, f"SVS_GC-{CODE}")
    overlay = pump_until(
        till.root,
        lambda: isinstance(till.window.overlay, CardPinOverlay) and till.window.overlay,
        what="the card's PIN keypad",
    )
    person_types(till.window, overlay.first_field, "12")
    till.window.escape()
    till.root.update()
    assert till.window.overlay is None
    assert (till.window.till.phase, till.window.till.card) == ("idle", None)
    assert till.window.till.pin_pad is None
