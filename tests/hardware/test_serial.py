"""The serial reader through a real pseudo-terminal (that goes away and comes back) and loop://."""

from __future__ import annotations

import os
import queue
from pathlib import Path

from hardware.scanners.serial import SerialScanner, clean, frame
from hardware.scanners.simulator import ScannerSimulator
from tests.helpers import wait_for


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
