"""A scanner simulator: a pseudo-terminal pair. The real serial reader opens the slave side;
`scan(text)` writes the text and the terminator into the master side, as a scanner would."""

from __future__ import annotations

import contextlib
import os
import pty
import tty

from hardware.scanners.serial import TERMINATORS


class ScannerSimulator:
    def __init__(self, terminator: str = "CR") -> None:
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)  # no echo, no line discipline: bytes pass as they are
        self.path = os.ttyname(self.slave)
        self.terminator = TERMINATORS[terminator]

    def scan(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8") + self.terminator)

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)
