"""Issue 19, a cashier's first day on a till set up from the example config (not the demo):
its printer as the config makes it, and a fresh till's missing manager PIN. Keys through the
real X server; money checked on the provider's ledger."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.gui_x.conftest import PIN, Till, XServer, close_till, pin_hash
from tests.gui_x.steps import manager_menu, menu_screen, overlay_open
from tests.gui_x.test_manager_setup import open_filed
from tests.gui_x.test_till import shown
from tests.terminal.conftest import Provider, provider  # noqa: F401

pytestmark = pytest.mark.gui
CARD = "SVS_GC-500000000000001"  # $75.00


@pytest.fixture
def no_printer(xserver: XServer, provider: Provider, tmp_path: Path) -> Iterator[Till]:  # noqa: F811
    """The example config as it ships: the virtual printer with no folder."""
    made = open_filed(xserver, provider, tmp_path, pin=pin_hash())
    yield made
    close_till(made)


def status(till: Till, name: str) -> str:
    return str(till.window.bar[name].cget("text"))


def test_a_till_with_no_printer_never_says_printed(no_printer: Till) -> None:
    """The trial: F4 said "receipt printed" and the status bar "printer: ready"; nothing was
    written anywhere."""
    till = no_printer
    till.pump_until(
        lambda: status(till, "printer") == "printer: none: receipts are not printed",
        "the status bar to say there is no printer",
    )
    shown(till, CARD, "$75.00")
    till.key("F4")
    till.pump_until(lambda: "no balance slip" in till.says(), "the balance's words")
    assert "printed" not in till.says()
    assert till.says().endswith("; no balance slip: this till has no printer.")


def test_a_refund_card_with_no_printer_is_shown_and_kept_for_the_manager(
    no_printer: Till,
) -> None:
    """The trial: a refund to a new card showed its code only on the receipt, which went
    nowhere: that customer's refund was lost."""
    till = no_printer
    till.key("F6")
    overlay_open(till, "AmountOverlay")
    till.type("2000")
    till.key("Return")
    overlay_open(till, "ConfirmOverlay")  # a refund asks the manager's PIN
    till.type(PIN, 80, 110)
    till.key("Return")
    till.pump_until(lambda: "Give the customer" in till.says(), "the refund's words")
    (issued,) = [e for e in till.journal() if e.operation == "issue"]
    assert issued.moved_money
    assert till.says().endswith(f"Give the customer the new card's code: {issued.code}.")
    assert till.ledger_balance(issued.code) == 2000  # the card holds the refund
    # Shown again to the manager: F12, the PIN, Refund cards.
    till.settle()
    screen = menu_screen(till, "refunds")
    till.pump_until(lambda: screen.tree.get_children(), "the journal's refund cards")
    (row,) = screen.tree.get_children()
    assert screen.tree.item(row, "values")[1:3] == ("$20.00", issued.code)
    made = datetime.fromtimestamp(issued.created_at)  # "5 Dec 21:26", not "05 Dec"
    assert screen.tree.item(row, "values")[0] == f"{made.day} {made:%b %H:%M}"


def test_the_virtual_printer_with_a_folder_saves_each_receipt_and_says_where(
    xserver: XServer,
    provider: Provider,  # noqa: F811
    tmp_path: Path,
) -> None:
    folder = tmp_path / "receipts"
    till = open_filed(
        xserver, provider, tmp_path, ('folder = ""', f'folder = "{folder}"'), pin=pin_hash()
    )
    try:
        till.pump_until(
            lambda: status(till, "printer") == f"printer: pictures in {folder}",
            "the status bar to say where the receipts go",
        )
        shown(till, CARD, "$75.00")
        till.key("F4")
        # A slip with no receipt number is named by what it is, never like a numbered one.
        found = till.pump_until(lambda: list(folder.glob("balance-slip-*.png")), "the slip")
        (saved,) = found
        till.pump_until(lambda: f"balance slip saved as {saved}" in till.says(), "the words")
        assert saved.read_bytes().startswith(b"\x89PNG")
        # The retrial (L): receipt-00005.png was "Receipt ...000004". Named by its number.
        till.key("F2")
        overlay_open(till, "AmountOverlay")
        till.type("500")
        till.key("Return")
        (entry,) = till.pump_until(
            lambda: [e for e in till.journal() if e.operation == "redemption" and e.moved_money],
            "the redemption",
        )
        number = till.engine.journal.receipt_number(entry.id)
        receipt = folder / f"receipt-{number}.png"
        till.pump_until(lambda: f"receipt saved as {receipt}" in till.says(), "its file named")
        till.settle()
        till.key("F9")  # the reprint's message names its file too
        copy = folder / f"receipt-{number}-duplicate.png"
        till.pump_until(lambda: till.says().startswith("Reprinted"), "the reprint")
        assert till.says() == f"Reprinted: Gift card redemption, $5.00; receipt saved as {copy}."
        assert sorted(p.name for p in folder.iterdir() if p.suffix == ".png") == sorted(
            [saved.name, receipt.name, copy.name]
        )
    finally:
        close_till(till)


@pytest.fixture
def no_pin(xserver: XServer, provider: Provider, tmp_path: Path) -> Iterator[Till]:  # noqa: F811
    """The example config as it ships: no manager PIN."""
    made = open_filed(xserver, provider, tmp_path)
    yield made
    close_till(made)


def test_a_fresh_till_says_there_is_no_pin_before_a_pad_and_takes_one_set_meanwhile(
    no_pin: Till,
) -> None:
    """The trial: F7, F8, F6 and F12 showed a PIN pad, and said no PIN is set only after
    one was typed; `posapp set-pin` was not seen until a restart."""
    till = no_pin
    shown(till, CARD, "$75.00")
    for key, what in (
        ("F6", "A refund to a new card"),
        ("F7", "A reversal"),
        ("F8", "A cash-out"),
        ("F12", "The manager menu"),
    ):
        till.key(key)
        till.pump_until(lambda what=what: till.says().startswith(what), f"{key}'s words")
        assert till.says() == (
            f"{what} needs the manager PIN, and none is set on this till yet. Whoever set the "
            "till up sets one with `posapp set-pin`; the till takes it at once."
        )
        assert till.window.overlay is None  # no PIN pad that no PIN could open
    # The PIN set beside the running till, as the README says.
    path = till.window.services_.config_path
    done = subprocess.run(
        [sys.executable, "-m", "posapp", "--config", str(path), "set-pin"],
        input=f"{PIN}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    till.pump_until(lambda: till.window.till.pin_set, "the till to read the new PIN", 10)
    manager_menu(till)
