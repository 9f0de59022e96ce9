"""The manager PIN's lock (issue 18.8): on the monotonic clock, bounded when the wall clock
moves, growing with each lock-out, and the wrong tries shown to the manager."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from posapp.adapters.journal import Journal
from posapp.adapters.secrets import ManagerPin, SecretError, hash_pin
from posapp.app import Engine
from posapp.core.pin_lock import FIRST_LOCK_S, MAX_TRIES, Now, PinLock
from posapp.core.till_events import CheckPin
from posapp.core.till_request import Result
from tests.core.test_till import shown, till

YEAR = 365 * 24 * 3600.0
PIN = "2468"


def test_every_4_digit_pin_takes_83_days_not_33_hours() -> None:
    """Today's rule was 5 tries a minute forever: 10,000 PINs in 2,000 one-minute locks,
    33.3 hours (16.7 on average). Each lock-out in a row now doubles the lock, from a minute
    up to an hour: the same 10,000 tries wait out 1,999 locks, 60 + 120 + ... + 1,920 s and
    then 1,993 hours, 7,178,580 s: 83 days (41.5 on average)."""
    old = (10_000 // MAX_TRIES - 1) * FIRST_LOCK_S
    assert old / 3600 == pytest.approx(33.3, abs=0.1)
    lock, now, waited = PinLock(), Now(0.0, 0.0, "b"), 0.0
    for _ in range(10_000):
        lock = lock.wrong_pin(now)
        left = lock.left(now)
        if left:  # the guesser waits out every lock, on the monotonic clock
            now = Now(now.wall + left, now.mono + left, "b")
            waited += left
    waited -= lock.lock_s  # the last guess needs no wait after it
    assert waited == 60 + 120 + 240 + 480 + 960 + 1920 + (2000 - 7) * 3600
    assert waited / 86400 == pytest.approx(83.1, abs=0.1)
    assert waited / old > 59


def locked_words(pin: ManagerPin) -> str:
    with pytest.raises(SecretError, match="Too many wrong PINs") as info:
        pin.check(PIN)
    return str(info.value)


def lock_out(pin: ManagerPin) -> str:
    for _ in range(MAX_TRIES - 1):
        with pytest.raises(SecretError, match=r"\d (tries|try) left"):
            pin.check("0000")
    with pytest.raises(SecretError, match=f"Wrong PIN, {MAX_TRIES} times: locked for") as info:
        pin.check("0000")
    return str(info.value)


def test_a_lock_taken_a_year_ahead_is_a_minute_once_the_clock_is_right(tmp_path: Path) -> None:
    """It read "locked for 31536060 s more" after the clock was put right."""
    now = [Now(1_800_000_000.0 + YEAR, 500.0, "boot-1")]  # the till's clock a year ahead
    pin = ManagerPin(hash_pin(PIN), Journal(tmp_path / "j.db"), clock=lambda: now[0])
    lock_out(pin)
    now[0] = Now(1_800_000_000.0, 510.0, "boot-1")  # the clock put right, 10 s later
    assert locked_words(pin) == "Too many wrong PINs: locked for 50 s more"
    now[0] = Now(1_800_000_000.0 + 2 * YEAR, 530.0, "boot-1")  # or moved on: the lock holds
    assert locked_words(pin) == "Too many wrong PINs: locked for 30 s more"
    # Switched off and on (another boot), the clock set back a year: never more than its
    # length, whatever the wall clock says.
    restarted = ManagerPin(
        pin.stored_hash,
        Journal(tmp_path / "j.db"),
        clock=lambda: Now(1_800_000_000.0 - YEAR, 3.0, "boot-2"),
    )
    assert locked_words(restarted) == "Too many wrong PINs: locked for 1 min more"
    now[0] = Now(1_800_000_000.0, 561.0, "boot-1")
    assert pin.check(PIN)  # run out on the monotonic clock: open, and the tries are told


def test_each_lock_out_in_a_row_doubles_the_lock_until_the_right_pin(tmp_path: Path) -> None:
    now = [Now(1_800_000_000.0, 0.0, "b")]
    pin = ManagerPin(hash_pin(PIN), Journal(tmp_path / "j.db"), clock=lambda: now[0])

    def wait(seconds: float) -> None:
        now[0] = Now(now[0].wall + seconds, now[0].mono + seconds, "b")

    lengths = []
    for _ in range(8):
        said = lock_out(pin)
        lengths.append(re.search(r"locked for ([^;]+);", said).group(1))  # type: ignore[union-attr]
        wait(3600)
    assert lengths == ["1 min", "2 min", "4 min", "8 min", "16 min", "32 min", "1 h", "1 h"]
    assert "each lock-out doubles the next, up to an hour" in said
    assert pin.check(PIN).startswith("40 wrong PINs before this one")
    assert pin.check(PIN) == ""  # told once
    assert lock_out(pin).startswith("Wrong PIN, 5 times: locked for 1 min;")  # started again


def test_the_manager_reads_the_wrong_tries_when_the_pin_is_accepted(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db")
    pin = ManagerPin(hash_pin(PIN), journal)  # the system's clocks
    for _ in range(3):
        with pytest.raises(SecretError):
            pin.check("1111")
    said = pin.check(PIN)
    assert re.fullmatch(
        r"3 wrong PINs before this one \(the latest \d+ \w{3} \d{4}, \d\d:\d\d\): if that "
        r"was not a manager, change the PIN",
        said,
    ), said


def test_the_till_says_the_wrong_tries_with_the_answer_of_what_the_pin_approved() -> None:
    t = till()
    shown(t, "500000000000001")
    t.action("cash_out")
    (check,) = t.confirm(pin=PIN)
    assert isinstance(check, CheckPin)
    notice = "3 wrong PINs before this one (...)"
    (move,) = t.pin_checked(check.request, None, notice=notice)
    t.answered(move.request.id, Result("Paid out $75.00."))  # type: ignore[attr-defined]
    # The result in its own tone; the notice apart, until the next key (the demo retrial:
    # one amber block made a refund's result read like a warning).
    assert (t.message, t.tone, t.aside) == ("Paid out $75.00.", "ok", f"Manager: {notice}")
    t.cancel()
    assert t.aside == ""
    t.action("manager")  # the manager menu says it on the menu at once
    (check,) = t.confirm(pin=PIN)
    t.pin_checked(check.request, None, notice=notice)  # type: ignore[attr-defined]
    assert (t.phase, t.message, t.tone) == ("screen", notice, "warn")


def test_the_x_and_z_reports_count_the_shifts_wrong_pins(engine: Engine) -> None:
    pin = ManagerPin(hash_pin(PIN), engine.journal)
    assert not [line for line in engine.terminal.shift.x_report().lines if "PIN" in line.label]
    lock_out(pin)
    lines = {line.label: line.value for line in engine.terminal.shift.z_report().lines}
    assert lines["Wrong manager PINs"] == "5, locked 1 time"


def test_a_lock_kept_by_version_5_carries_over_bounded(tmp_path: Path) -> None:
    """Version 5 kept the lock as an absolute time; version 6 keeps its length and start."""
    import sqlite3

    from tests.terminal.test_journal import write_v1_journal

    path = tmp_path / "j.db"
    write_v1_journal(path, [])
    db = sqlite3.connect(path, isolation_level=None)
    ahead = 1_800_000_000.0 + YEAR  # a lock taken with the clock a year ahead
    db.execute("INSERT INTO pin_attempts (id, failures, locked_until) VALUES (1, 0, ?)", (ahead,))
    db.close()
    pin = ManagerPin(
        hash_pin(PIN), Journal(path), clock=lambda: Now(1_800_000_000.0, 1.0, "boot-9")
    )
    assert locked_words(pin) == "Too many wrong PINs: locked for 1 min more"
