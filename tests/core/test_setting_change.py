"""A manager's settings changes in words: what is kept of each, the log's line, the X and Z
reports' section (the store trial of 6 Dec 2026), and the save message naming every
setting so it reads right (finding 12: "The ask for the manager PIN to takes effect")."""

from __future__ import annotations

from datetime import datetime

from posapp.config import Config
from posapp.config_form import listed, settings_in_words
from posapp.core import glossary
from posapp.core.setting_change import OUTSIDE, differences, log_line, report_lines

AT = datetime(2026, 12, 6, 5, 2).timestamp()


def test_a_change_is_each_key_before_and_after_in_words_and_a_secret_only_changed() -> None:
    before = settings_in_words(Config())
    config = Config()
    manager = config.manager.__class__(pin_hash="scrypt$secret", require_pin_for=("reverse",))
    after = settings_in_words(config.__class__(manager=manager))
    assert "scrypt$secret" not in str(after)  # a fingerprint, never the hash itself
    changes = differences(before, after, at=AT, who="manager PIN, cashier Ann")
    assert [(c.key, c.before, c.after) for c in changes] == [
        ("manager.pin_hash", None, None),
        (
            "manager.require_pin_for",
            before["manager.require_pin_for"],
            "Reverse a transaction",
        ),
    ]
    assert changes[0].values == "changed"
    assert changes[1].values.endswith('to "Reverse a transaction"')
    assert "Pay a card out in cash" in changes[1].values
    assert log_line(changes[0]) == (
        "setting changed by manager PIN, cashier Ann: Manager PIN (manager.pin_hash): changed"
    )


def test_the_reports_list_each_change_with_who_or_outside_the_till() -> None:
    saved = differences(
        {"terminal.cashier": ""}, {"terminal.cashier": "Ann"}, at=AT, who="manager PIN, no cashier"
    )
    found = differences({"manager.pin_hash": "a"}, {"manager.pin_hash": "b"}, at=AT, who=OUTSIDE)
    lines = [(line.label, line.value, line.bold) for line in report_lines([*saved, *found])]
    assert lines == [
        ("Settings changes (2)", "", True),
        ("05:02 Cashier's name on", "", False),
        ("    receipts", "", False),
        ("  was (none)", "", False),
        ('  now "Ann"', "", False),
        ("  by manager PIN, no cashier", "", False),
        ("05:02 Manager PIN", "", False),
        ("  changed", "", False),
        ("  changed outside the till", "", False),
        ("    (found at the start)", "", False),
    ]
    assert all(len(label) <= 32 for label, _v, _b in lines)  # 58 mm paper
    assert report_lines([]) == ()


def test_every_settings_name_reads_right_in_the_save_message() -> None:
    for name in [*glossary.SETTING.values(), *glossary.SETTING_SECTION.values()]:
        said = f"{listed([name])} takes effect when posapp starts again."
        assert said == f"“{name}” takes effect when posapp starts again."
    assert listed(["Ask for the manager PIN to", "Card patterns", "Store name"]) == (
        "“Ask for the manager PIN to”, “Card patterns” and “Store name”"
    )
