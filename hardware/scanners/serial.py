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
from typing import Protocol

import serial

log = logging.getLogger("hardware.scanner")

TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
MAX_LINE = 256
READ_AT_MOST = 4096  # bytes a read takes: a flood is framed a bounded piece at a time


class _Port(Protocol):
    """What the reader uses of pyserial's port (pyserial has no type hints)."""

    @property
    def in_waiting(self) -> int: ...
    def read(self, size: int = 1) -> bytes: ...
    def close(self) -> None: ...
    def cancel_read(self) -> None: ...


class Framer:
    """Lines out of the bytes as they come; a line longer than `max_line` is dropped whole,
    however long it runs before its terminator: the buffer never holds more than a line and
    a read, and the tail of an overlong line is never taken for a scan of its own."""

    def __init__(self, terminator: bytes, max_line: int = MAX_LINE) -> None:
        self.terminator, self.max_line = terminator, max_line
        self.buffer = bytearray()
        self.overlong = False  # dropping an overlong line until its terminator comes
        self.dropped = 0  # overlong lines dropped so far

    def feed(self, chunk: bytes) -> list[bytes]:
        buffer, end = self.buffer, self.terminator
        buffer += chunk
        lines = []
        start = 0
        while (at := buffer.find(end, start)) >= 0:
            if self.overlong or at - start > self.max_line:
                self.dropped += 1
                self.overlong = False
            else:
                lines.append(bytes(buffer[start:at]))
            start = at + len(end)
        del buffer[:start]  # once per read, not once per line: a flood costs linear time
        if len(buffer) > self.max_line + len(end):  # no terminator in sight: an overlong line
            self.overlong = True
            del buffer[: len(buffer) - len(end) + 1]  # keep what may begin the terminator
        return lines


def frame(buffer: bytearray, terminator: bytes, max_line: int = MAX_LINE) -> list[bytes]:
    """Complete lines taken out of the buffer; an overlong line is dropped, not split."""
    framer = Framer(terminator, max_line)
    framer.buffer = buffer
    return framer.feed(b"")


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
        keep_last: int = 1_000_000,
        on_dropped: Callable[[int], None] = lambda _count: None,
    ) -> None:
        """`keep_last`: of the lines one read brings, only the newest so many are cleaned and
        handed on (a ScanFeed keeps no more anyway); `on_dropped` counts the others."""
        self.url, self.baudrate = url, baudrate
        self.terminator = TERMINATORS[terminator]
        self.prefix, self.suffix, self.max_line = prefix, suffix, max_line
        self.on_scan, self.on_status = on_scan, on_status
        self.backoff = backoff
        self.keep_last, self.on_dropped = keep_last, on_dropped
        self.status = "starting"
        self._stop = threading.Event()
        self._port: _Port | None = None
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

    def _read(self, port: _Port) -> None:
        framer = Framer(self.terminator, self.max_line)
        while not self._stop.is_set():
            chunk = port.read(min(port.in_waiting, READ_AT_MOST) or 1)
            if not chunk:
                continue
            lines = framer.feed(chunk)
            if len(lines) > self.keep_last:  # a flood: only the newest can still matter
                self.on_dropped(len(lines) - self.keep_last)
                lines = lines[-self.keep_last :]
            for line in lines:
                text = clean(line, self.prefix, self.suffix)
                if text:
                    self.on_scan(text)
