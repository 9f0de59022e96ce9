"""The serial reader through a real pseudo-terminal (that goes away and comes back) and loop://."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from pathlib import Path

import pytest

from hardware.scanners.feed import CAPACITY, ScanFeed
from hardware.scanners.serial import Framer, SerialScanner, clean, frame
from hardware.scanners.simulator import ScannerSimulator
from tests.helpers import proc_status_kb, wait_for


def test_framing_and_cleaning() -> None:
    buffer = bytearray(b"\x02GC-1\r\nGC-2\r\npart")
    assert frame(buffer, b"\r\n") == [b"\x02GC-1", b"GC-2"]
    assert buffer == b"part"
    assert frame(bytearray(b"x" * 300 + b"\r"), b"\r") == []  # over the cap: dropped whole
    assert clean(b"\x02PFX123456SFX\x03", "PFX", "SFX") == "123456"


def test_scans_through_a_pty_that_is_unplugged_and_plugged_back(tmp_path: Path) -> None:
    link = tmp_path / "scanner"  # like /dev/serial/by-id/...: the name stays, the device changes
    first = ScannerSimulator()
    link.symlink_to(first.path)
    scans: queue.Queue[str] = queue.Queue()
    statuses: list[str] = []
    reader = SerialScanner(
        str(link), scans.put, on_status=statuses.append, backoff=(0.05, 0.1)
    ).start()
    try:
        wait_for(lambda: reader.status == "connected", 10, "the reader to open the pty")
        first.scan("SVS_GC-500000000000001")
        assert scans.get(timeout=5) == "SVS_GC-500000000000001"
        first.close()  # unplugged
        link.unlink()
        wait_for(lambda: reader.status != "connected", 10, "the reader to notice")
        assert any(s.startswith(("disconnected", "not connected")) for s in statuses)
        second = ScannerSimulator()  # plugged back: a new device behind the same name
        link.symlink_to(second.path)
        wait_for(lambda: reader.status == "connected", 10, "the reader to reopen")
        second.scan("SVS_GC-500000000000002")
        assert scans.get(timeout=5) == "SVS_GC-500000000000002"
        second.close()
    finally:
        reader.stop()
    assert statuses[-1] == "stopped"


def test_loop_url() -> None:
    scans: queue.Queue[str] = queue.Queue()
    reader = SerialScanner("loop://", scans.put, terminator="LF").start()
    try:
        wait_for(lambda: reader._port is not None, 5, "loop:// to open")
        reader._port.write(b"123456789012\n\x00\x01\nGC-9\n")
        assert [scans.get(timeout=5), scans.get(timeout=5)] == ["123456789012", "GC-9"]
    finally:
        reader.stop()


def test_a_missing_device_says_so_and_keeps_trying(tmp_path: Path) -> None:
    statuses: list[str] = []
    reader = SerialScanner(
        str(tmp_path / "nothing"), lambda _s: None, on_status=statuses.append, backoff=(0.02,)
    ).start()
    try:
        wait_for(lambda: statuses, 5, "a status")
        assert statuses[0].startswith("not connected")
        assert "plug the scanner in" in statuses[0]
    finally:
        reader.stop()
    assert os.path.exists(tmp_path)


# --- issue 18.7: a flood is bounded -----------------------------------------------------


def test_a_line_without_terminator_never_grows_and_its_tail_is_no_scan() -> None:
    framer = Framer(b"\r\n", max_line=256)
    for _ in range(1000):  # a megabyte of garbage with no terminator
        assert framer.feed(b"x" * 1000) == []
        assert len(framer.buffer) <= 256 + 2
    assert framer.feed(b"tail\r\nSVS_GC-500000000000001\r\n") == [b"SVS_GC-500000000000001"]
    assert framer.dropped == 1
    assert framer.feed(b"x" * 300 + b"\r") == []  # a lone CR of CRLF: still that line
    assert framer.feed(b"\nGC-2\r\n") == [b"GC-2"]


def flood(master: int, seconds: float, per_second: int = 10_000) -> tuple[int, float]:
    """Scans written into the pty's master side at `per_second` for `seconds`, as a stuck
    scanner sends them: how many, and when the last was written (time.monotonic)."""
    per_block = per_second // 100  # a block every 10 ms
    block = b"".join(b"SVS_GC-5000000000%05d\r" % i for i in range(per_block))
    sent, start = 0, time.monotonic()
    while (now := time.monotonic()) < start + seconds:
        while sent < (int((now - start) * 100) + 1) * per_block:
            os.write(master, block)
            sent += per_block
        time.sleep(0.002)
    return sent, time.monotonic()


def test_a_flood_through_a_pty_keeps_the_newest_and_counts_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """10,000 scans a second for 3 s, read by the real reader through a real pty: nothing
    waits but the newest few, memory stays flat, the count is one log line, and a card
    scanned after the flood is taken within a second (issue 18.7: 59,537 scans waited and
    memory went from 66 to 327 MB)."""
    simulator = ScannerSimulator()
    woken = threading.Event()
    feed = ScanFeed(woken.set)
    taken: list[tuple[str, float]] = []
    reader = SerialScanner(simulator.path, feed.put, keep_last=CAPACITY, on_dropped=feed.drop)
    reader.start()
    done = threading.Event()

    def till() -> None:  # takes a scan every 50 ms at most in a flood, as posapp.ui.scans does
        while not done.is_set():
            woken.wait(0.05)
            text = feed.take()
            if text is None:
                woken.clear()
                feed.report()  # the flood's count, once it is quiet (as posapp.ui.scans asks)
                continue
            taken.append((text, time.monotonic()))
            done.wait(0.05)

    taker = threading.Thread(target=till, daemon=True)
    taker.start()
    try:
        wait_for(lambda: reader.status == "connected", 10, "the reader to open the pty")
        rss_before = proc_status_kb(os.getpid(), "VmRSS")
        with caplog.at_level(logging.WARNING, logger="hardware.scanner"):
            sent, ended = flood(simulator.master, 3.0)
            rss_after = proc_status_kb(os.getpid(), "VmRSS")
            simulator.scan("SVS_GC-500000000000002")
            scanned = time.monotonic()
            wait_for(lambda: taken and taken[-1][0] == "SVS_GC-500000000000002", 5, "the card")
            wait_for(lambda: "scans dropped" in caplog.text, 5, "the flood's log line")
    finally:
        done.set()
        reader.stop()
        taker.join(5)
        simulator.close()
    assert sent >= 25_000
    assert feed.most_waiting <= CAPACITY
    assert rss_after - rss_before < 10_000  # kB: the flood holds nothing
    assert taken[-1][1] - scanned < 1.0
    assert taken[-1][1] - ended < 1.0
    assert len(taken) < 3.5 / 0.05 + 2  # paced: 20 a second at most reached the till
    flood_lines = [r for r in caplog.records if "scans dropped" in r.getMessage()]
    assert 1 <= len(flood_lines) <= 2  # a count, not a line per scan
    assert feed.dropped_total >= sent - len(taken) - 50  # the rest: dropped and counted
