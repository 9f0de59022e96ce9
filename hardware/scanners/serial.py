"""A serial scanner: a reader thread that frames lines and survives being unplugged.

It opens a device or any pyserial URL (`serial_for_url`: loop://, socket://, a pty), frames
lines by the configured terminator, strips a prefix or suffix, caps the length, drops control
characters, and hands each scan to a callback from its own thread. When the device goes
away it says so and reopens with backoff until it is back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import unicodedata
from collections.abc import Callable
from typing import Any

import serial

log = logging.getLogger("hardware.scanner")

TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
MAX_LINE = 256


def frame(buffer: bytearray, terminator: bytes, max_line: int = MAX_LINE) -> list[bytes]:
    """Complete lines taken out of the buffer; an overlong line is dropped, not split."""
    lines = []
    while (at := buffer.find(terminator)) >= 0:
        line = bytes(buffer[:at])
        del buffer[: at + len(terminator)]
        if len(line) <= max_line:
            lines.append(line)
    if len(buffer) > max_line * 4:  # garbage with no terminator: never grow without bound
        buffer.clear()
    return lines


def clean(line: bytes, prefix: str = "", suffix: str = "") -> str:
    text = line.decode("utf-8", errors="replace")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf"})
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return text.strip()


class SerialScanner:
    def __init__(
        self,
        url: str,
        on_scan: Callable[[str], None],
        *,
        baudrate: int = 9600,
        terminator: str = "CR",
        prefix: str = "",
        suffix: str = "",
        max_line: int = MAX_LINE,
        on_status: Callable[[str], None] = lambda _words: None,
        backoff: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0, 5.0),
    ) -> None:
        self.url, self.baudrate = url, baudrate
        self.terminator = TERMINATORS[terminator]
        self.prefix, self.suffix, self.max_line = prefix, suffix, max_line
        self.on_scan, self.on_status = on_scan, on_status
        self.backoff = backoff
        self.status = "starting"
        self._stop = threading.Event()
        self._port: Any = None
        self._thread = threading.Thread(target=self._run, name="serial-scanner", daemon=True)

    def start(self) -> SerialScanner:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        port = self._port
        if port is not None:
            with contextlib.suppress(AttributeError, OSError, serial.SerialException):
                port.cancel_read()
        self._thread.join(5)

    def _say(self, words: str) -> None:
        if words != self.status:
            self.status = words
            log.info("scanner %s: %s", self.url, words)
            self.on_status(words)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self._port = serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=0.2)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._say(f"not connected ({type(exc).__name__}): plug the scanner in")
                self._stop.wait(self.backoff[min(failures, len(self.backoff) - 1)])
                failures += 1
                continue
            failures = 0
            self._say("connected")
            try:
                self._read(self._port)
            except (serial.SerialException, OSError) as exc:
                self._say(f"disconnected ({type(exc).__name__}): waiting for it to come back")
            finally:
                with contextlib.suppress(serial.SerialException, OSError):
                    self._port.close()
                self._port = None
        self._say("stopped")

    def _read(self, port: Any) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            chunk = port.read(port.in_waiting or 1)
            if not chunk:
                continue
            buffer += chunk
            for line in frame(buffer, self.terminator, self.max_line):
                text = clean(line, self.prefix, self.suffix)
                if text:
                    self.on_scan(text)
