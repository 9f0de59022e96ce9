"""Selling while the provider cannot be reached (issue 24), through the real X server: the
provider stopped (the fault proxy refuses connections), the till says so in its status bar,
shows each card as last seen online, takes redemptions offline through F2 and F3 within the
store's rules and refuses the rest in words; the provider back, the settler forwards each one
once, in order, with its key, and the ledger shows them; a card spent elsewhere meanwhile is
the store's loss, on the X report and the manager's list."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from hardware.printers.decode import decode
from posapp.config_offline import OfflineConfig
from tests.gui_x.conftest import (
    Till,
    XServer,
    close_till,
    make_config,
    open_till,
)
from tests.gui_x.steps import closed, manager_menu, menu_screen, overlay_open, typed_amount
from tests.gui_x.test_till import cut
from tests.terminal.conftest import Provider

pytestmark = pytest.mark.gui
CARD, CODE = "SVS_GC-500000000000001", "500000000000001"  # $75.00
SMALL, SMALL_CODE = "SVS_GC-500000000000002", "500000000000002"  # $12.50
NEVER = "SVS_GC-500000000000005"  # not usable yet: the till never saw it pay
OFFLINE = OfflineConfig(floor=2500, shift_limit=10000, card_seen_days=30)
BAR = "offline: selling up to $25.00 a card"


@pytest.fixture
def till(xserver: XServer, provider: Provider, tmp_path: Path) -> Iterator[Till]:
    """The till of tests/gui_x/conftest.py with [offline] on: $25.00 a card, $100.00 a shift."""
    config = make_config(provider.proxy.url, fullscreen=xserver.mode == "kiosk")
    gc.disable()  # as tests/gui_x/conftest.py's till: no collection on a worker thread
    made = open_till(xserver, provider, replace(config, offline=OFFLINE), tmp_path / "j.db")
    yield made
    close_till(made)


def shown(till: Till, scan: str, balance: str) -> None:
    till.scan(scan)
    till.pump_until(lambda: till.balance_shown() == balance, f"{balance} on screen")
    till.settle()


def look_again(till: Till) -> None:
    """The status watch's next look now, not in 10 s."""
    window = till.window
    assert window.status_bar.job is not None
    till.root.after_cancel(window.status_bar.job)
    window.status_bar.watch(window.services_, window.send)


def provider_stopped(till: Till) -> None:
    till.provider.proxy.refuse()  # nothing listens: each connection refused, nothing sent
    look_again(till)
    bar = till.window.bar["provider"]
    till.pump_until(lambda: bar.cget("text") == BAR, "the status bar to say it sells offline")


def seen_offline(till: Till, scan: str, line: str) -> None:
    till.scan(scan)
    till.pump_until(lambda: till.window.panel.status.cget("text") == "OFFLINE", "OFFLINE")
    details = str(till.window.panel.details.cget("text"))
    assert details.splitlines()[0] == line
    till.settle()


def redemptions(till: Till, code: str) -> list[int]:
    return [t["amount"] for t in till.ledger_transactions(code) if t["type"] == "redemption"]


def test_the_provider_stopped_the_till_sells_offline_and_forwards_once_in_order(
    till: Till,
) -> None:
    shown(till, CARD, "$75.00")  # each seen online first: its balance kept
    shown(till, SMALL, "$12.50")
    till.key("Escape")
    provider_stopped(till)
    till.settle()
    till.shot("offline-status-bar")

    seen_offline(till, CARD, "Last seen online today: $75.00")
    till.shot("offline-card")
    # Over the floor: refused in words as typed, as online over a card (trial 6B, 4),
    # BackSpace first; then $12.50.
    till.key("F2")
    amount = typed_amount(till, "3000", "$30.00")
    said = "this card may pay at most $25.00 now"
    till.pump_until(lambda: said in amount.note.cget("text"), "floor")
    till.key("BackSpace")
    till.type("1250")
    till.pump_until(lambda: amount.field.get() == "$12.50", "$12.50")
    till.key("Return")
    confirming = overlay_open(till, "ConfirmOverlay")
    words = "OFFLINE: redeem $12.50 from ••0001, to be confirmed"
    assert confirming.words.cget("text") == words  # type: ignore[attr-defined]
    till.shot("offline-confirm")
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.says().startswith("Taken offline"), "taken offline")
    till.settle()
    assert "to be confirmed when the provider answers" in till.says()
    slip = till.printer.jobs[-1]
    assert "OFFLINE: to be confirmed" in " ".join(_lines(slip))
    # The card again: it takes no more until the provider has that one.
    till.scan(CARD)
    till.pump_until(lambda: "paid $12.50 offline already" in till.says(), "one at a time")
    assert till.window.till.card is None

    # F3 on the small card: its whole last known balance, under the floor.
    seen_offline(till, SMALL, "Last seen online today: $12.50")
    till.key("F3")
    confirming = overlay_open(till, "ConfirmOverlay")
    words = "OFFLINE: redeem $12.50 from ••0002, to be confirmed"
    assert confirming.words.cget("text") == words  # type: ignore[attr-defined]
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.says().startswith("Taken offline"), "taken offline")

    # Every other key says why not now; a card never seen online is not taken.
    till.key("F5")
    till.pump_until(lambda: "only redemptions can be taken" in till.says(), "F5 refused")
    assert till.window.overlay is None
    till.scan(NEVER)
    till.pump_until(lambda: "has never seen card ••0005" in till.says(), "never seen")
    till.settle()
    till.shot("offline-refusals")
    assert redemptions(till, CODE) == []  # nothing reached the provider
    assert redemptions(till, SMALL_CODE) == []
    states = [row[4] for row in _shift_rows(till)]
    assert states[:2] == ["offline: to send", "offline: to send"]

    # The provider back: each forwarded once, in order, with its key.
    till.provider.proxy.listen()
    till.engine.settler.wake()
    till.pump_until(
        lambda: redemptions(till, CODE) == [1250] and redemptions(till, SMALL_CODE) == [1250],
        "both forwarded",
        30,
    )
    ledger = sorted(
        [*till.ledger_transactions(CODE), *till.ledger_transactions(SMALL_CODE)],
        key=lambda t: t["created_at"],
    )
    assert [t["gift_id"] for t in ledger] == [
        till.ledger_gift(CODE)["id"],
        till.ledger_gift(SMALL_CODE)["id"],
    ]
    look_again(till)
    till.pump_until(lambda: "provider: online" in till.window.bar["provider"].cget("text"), "on")
    till.window.refresh_shift()
    till.pump_until(
        lambda: (
            [row[4] for row in _shift_rows(till)][:2]
            == ["offline: confirmed", "offline: confirmed"]
        ),
        "the shift list to say confirmed",
    )
    till.engine.settler.wake()  # once more: nothing is sent again
    till.settle()
    assert redemptions(till, CODE) == [1250]
    assert redemptions(till, SMALL_CODE) == [1250]


def test_a_card_spent_elsewhere_while_offline_is_a_loss_on_the_x_report(till: Till) -> None:
    shown(till, SMALL, "$12.50")
    till.key("Escape")
    provider_stopped(till)
    seen_offline(till, SMALL, "Last seen online today: $12.50")
    till.key("F3")
    overlay_open(till, "ConfirmOverlay")
    till.key("Return")
    closed(till)
    till.pump_until(lambda: till.says().startswith("Taken offline"), "taken offline")
    spent = httpx.post(  # meanwhile the card is spent at another till: all of it
        f"{till.provider.server.url}/v1/gifts/{till.ledger_gift(SMALL_CODE)['id']}/redemptions",
        json={"amount": 1250},
        headers={**till.admin(), "Idempotency-Key": "elsewhere"},
    )
    assert spent.status_code == 201, spent.text
    till.provider.proxy.listen()
    till.engine.settler.wake()
    till.window.refresh_shift()
    till.pump_until(
        lambda: [row[4] for row in _shift_rows(till)][:1] == ["offline: declined (lost)"],
        "the loss in the shift list",
        30,
    )
    till.settle()
    till.key("F10")
    screen = till.pump_until(lambda: till.window.overlay, "the reports")
    till.pump_until(lambda: "Offline" in screen.text.get("1.0", "end"), "the X report")
    till.settle()
    report = screen.text.get("1.0", "end")
    assert "1 accepted, 0 confirmed, 1 declined: $12.50 not collected" in report
    till.shot("offline-x-report-loss")
    till.key("Escape")
    closed(till)

    losses = menu_screen(till, "losses")
    till.pump_until(lambda: losses.tree.get_children(), "the manager's list of losses")
    till.settle()
    till.shot("offline-losses")
    (row,) = losses.tree.get_children()
    card, _taken, amount = losses.tree.item(row)["values"]
    assert (card, amount) == ("••0002", "$12.50")
    assert "Not collected in all: $12.50." in losses.note.cget("text")


def test_the_manager_turns_offline_selling_off_for_the_shift_and_on_again(till: Till) -> None:
    menu = manager_menu(till)
    switch = menu.choices["offline"]
    off = "Offline selling: turn off for this shift"
    assert switch.cget("text") == off
    till.click(switch)
    till.pump_until(lambda: switch.cget("text") != off, "switched off")
    said = menu.panel.grid_slaves(row=3, column=1)[0]
    assert said.cget("text").startswith("Offline selling is off for this shift")
    assert switch.cget("text") == "Offline selling: turn on again"
    assert till.window.till.selling_offline.off_for_shift
    assert till.engine.terminal.offline.off_for_shift  # journalled
    till.settle()
    till.shot("offline-manager-menu")
    # Every button whole, in the window (the menu's own note, at its foot, is not ours).
    assert [c for c in cut(menu) if not c.startswith(f"{menu.note} ")] == []
    till.key("Escape")
    closed(till)
    shown(till, SMALL, "$12.50")
    till.key("Escape")
    till.provider.proxy.refuse()
    look_again(till)
    bar = till.window.bar["provider"]
    till.pump_until(lambda: bar.cget("text") == "provider: OFFLINE", "OFFLINE, as before")
    till.scan(SMALL)
    till.pump_until(lambda: "turned offline selling off" in till.says(), "refused: off")
    assert till.window.till.card is None

    menu = manager_menu(till)  # and on again: the same card is taken offline
    switch = menu.choices["offline"]
    assert switch.cget("text") == "Offline selling: turn on again"
    till.click(switch)
    till.pump_until(lambda: switch.cget("text") == off, "switched on")
    assert not till.engine.terminal.offline.off_for_shift
    till.key("Escape")
    closed(till)
    look_again(till)
    till.pump_until(lambda: bar.cget("text") == BAR, "the bar to say it sells offline again")
    seen_offline(till, SMALL, "Last seen online today: $12.50")


def _shift_rows(till: Till) -> list[list[str]]:
    tree = till.window.shift
    return [[str(v) for v in tree.item(row)["values"]] for row in tree.get_children()]


def _lines(job: bytes) -> list[str]:
    return list(decode(job).lines)
