"""The store trial of 6 Dec 2026 (finding 2): the manager took the PIN off cash-outs on the
settings screen, and only posapp.toml changed. Through the real settings screen under Xvfb:
the change saved is in the journal with who and when, on the X report the manager reads
(F10), and the file as it was is kept beside it; the PIN typed there never reaches the
journal."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from posapp.app import settings_file
from posapp.config_file import write_keeping_comments
from posapp.ui.menu import ManagerMenu
from posapp.ui.reports import ReportsScreen
from posapp.ui.settings import SettingsScreen
from tests.gui.conftest import Till, key, pump_until
from tests.gui.test_cashier import overlay_of
from tests.gui.test_screens import manager_screen, save

CASH_OUT = "Pay a card out in cash"


def test_a_change_saved_on_the_settings_screen_is_journaled_and_on_the_x_report(
    till: Till, tmp_path: Path
) -> None:
    path = tmp_path / "posapp.toml"
    config = till.window.config
    write_keeping_comments(path, dataclasses.asdict(config))  # the file the till started from
    till.window.services = dataclasses.replace(
        till.window.services_,
        config_path=path,
        settings=settings_file(config, till.engine, path),  # as app.py makes it at a start
    )
    before = path.read_text(encoding="utf-8")
    till.engine.terminal.shift.sign_in("Ann")
    settings = manager_screen(till, "settings", SettingsScreen)
    assert isinstance(settings, SettingsScreen)
    asked = settings.vars["manager"]["require_pin_for"]
    assert CASH_OUT in asked.get()
    asked.set(", ".join(w for w in asked.get().split(", ") if w != CASH_OUT))
    settings.new_pin.set("97531")
    said = save(till, settings)
    assert said == (
        f"Saved to {path}. The new manager PIN works now. “Ask for the manager PIN to” takes "
        "effect when posapp starts again. The file as it was is kept beside it as "
        "posapp.toml.previous. The X and Z reports list the change."
    )
    assert Path(f"{path}.previous").read_text(encoding="utf-8") == before
    changes = till.engine.journal.setting_changes(0, time.time() + 1)
    assert [(c.key, c.who, c.before, c.after) for c in changes] == [
        ("manager.pin_hash", "manager PIN, cashier Ann", None, None),
        (
            "manager.require_pin_for",
            "manager PIN, cashier Ann",
            "Reverse a transaction, Pay a card out in cash, Refund to a new card, "
            "Change settings and close the shift, Manage gift cards",
            "Reverse a transaction, Refund to a new card, "
            "Change settings and close the shift, Manage gift cards",
        ),
    ]
    till.window.escape()  # back to the manager menu, then the till
    pump_until(till.root, lambda: isinstance(till.window.overlay, ManagerMenu), what="the menu")
    till.window.escape()
    pump_until(till.root, lambda: till.window.overlay is None, what="the till")
    key(till.window.scan_field, "F10", 1)
    reports = overlay_of(till, ReportsScreen)
    assert isinstance(reports, ReportsScreen)
    pump_until(
        till.root,
        lambda: "Settings changes (2)" in reports.text.get("1.0", "end"),
        what="the settings changes on the X report",
    )
    shown = reports.text.get("1.0", "end")
    assert "Ask for the manager PIN" in shown
    assert "by manager PIN, cashier Ann" in shown
    # The new PIN's hash, and its digits, never in the journal's file.
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("journal.db*"))
    assert b"setting_changes" in stored
    assert till.window.services_.pin.stored_hash.encode() not in stored
    assert b"97531" not in stored
