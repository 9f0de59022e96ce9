"""Recorded timing tables: scanners with jitter are scans, people (fast ones too) are not."""

from __future__ import annotations

import pytest

from hardware.scanners.wedge import Key, WedgeClassifier


def keys(text: str, gaps: list[int], end: str = "Return", start: int = 1000) -> list[Key]:
    out, t = [], start
    for ch, gap in zip(text + "\n", [0, *gaps], strict=True):
        t += gap
        out.append(Key(end, "\r", t) if ch == "\n" else Key(ch, ch, t))
    return out


def run(events: list[Key], gap: int = 50) -> list[str]:
    classifier = WedgeClassifier(gap)
    return [found for key in events if (found := classifier.feed(key)) is not None]


SCANNER_JITTER = [8, 12, 9, 31, 7, 10, 11, 9, 44, 8, 6, 12, 9, 10, 13, 8, 9, 11, 10, 12, 9, 8]
FAST_TYPIST = [72, 95, 61, 130, 88, 35, 102, 77, 64, 140, 90, 81]


@pytest.mark.parametrize("end", ["Return", "KP_Enter", "Tab"])
def test_a_scanner_with_jitter_is_a_scan(end: str) -> None:
    text = "SVS_GC-500000000000001"
    assert run(keys(text, SCANNER_JITTER, end)) == [text]


def test_a_fast_typist_is_not_a_scan() -> None:
    assert run(keys("123456789012", FAST_TYPIST)) == []


def test_a_typist_then_a_scan() -> None:
    typed = keys("12", [80, 90])[:-1]  # two keys, no Enter
    scanned = keys("SVS_GC-1", [9] * 8, start=typed[-1].time_ms + 900)
    assert run(typed + scanned) == ["SVS_GC-1"]


def test_too_short_or_slow_to_end_is_not_a_scan() -> None:
    assert run(keys("123", [5, 5, 5])) == []
    assert run(keys("12345", [5, 5, 5, 5, 400])) == []  # Enter a person pressed later


def test_shift_and_other_silent_keys_do_not_break_a_scan() -> None:
    events = keys("AB12", [6, 6, 6, 6])
    events.insert(1, Key("Shift_L", "", events[0].time_ms + 3))
    assert run(events) == ["AB12"]


def test_a_burst_longer_than_any_card_is_no_scan_and_is_not_held() -> None:
    """A keyboard scanner stuck in a loop (issue 18.7): the burst's keys stop being held
    past MAX_LENGTH, and its Enter is no scan; after a pause, scans work again."""
    from hardware.scanners.wedge import MAX_LENGTH

    wedge = WedgeClassifier(50)
    t = 1000
    for _ in range(MAX_LENGTH * 40):
        wedge.feed(Key("1", "1", t))
        t += 2
        assert len(wedge.buffer) <= MAX_LENGTH
    assert wedge.overlong
    assert wedge.feed(Key("Return", "", t)) is None
    t += 500  # a pause: a new burst
    for ch in "SVS_GC-500000000000001":
        wedge.feed(Key(ch, ch, t))
        t += 2
    assert wedge.feed(Key("Return", "", t)) == "SVS_GC-500000000000001"
