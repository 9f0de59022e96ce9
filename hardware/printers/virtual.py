"""The virtual printer: a network printer on a TCP port, for tests and the demo.

Each connection is a job, kept as its bytes; it answers DLE EOT status requests (paper out,
offline) as a real printer does, so tests and the demo print through the real network
transport. hardware.printers.decode reads a job back; hardware.printers.render draws it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

from PIL import Image

from hardware.printers.render import render

ONLINE = 0x12  # DLE EOT answers: bits 1 and 4 are always set (APG, "DLE EOT")
PAPER_END = 0x12 | 0x60  # n=4: bits 5 and 6, roll paper end
OFFLINE = 0x12 | 0x08  # n=1: bit 3, offline


class VirtualPrinter:
    """Listens like a printer on port 9100 does: each connection is a job; answers status."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        paper_mm: int = 80,
        on_job: Callable[[bytes], None] | None = None,
    ) -> None:
        self.paper_mm = paper_mm
        self.on_job = on_job
        self.jobs: list[bytes] = []
        self.paper_out = False
        self.offline = False
        self._changed = threading.Condition()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, port))
        self.listener.listen(8)
        self.host, self.port = self.listener.getsockname()[:2]
        self._thread = threading.Thread(target=self._accept, name="virtual-printer", daemon=True)
        self._thread.start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.jobs) >= count, timeout)
            return list(self.jobs)

    def picture(self, job: int = -1) -> Image.Image:
        return render(self.jobs[job], self.paper_mm)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._job, args=(conn,), daemon=True).start()

    def _job(self, conn: socket.socket) -> None:
        received = bytearray()
        with conn:
            conn.settimeout(30)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                received += chunk
                # Answer each real-time status request as it arrives (DLE EOT n).
                for n in _status_requests(chunk):
                    conn.sendall(bytes([self._status(n)]))
        printable = _without_status_requests(bytes(received))
        if not printable.strip(b"\x1b@"):
            return  # a status check only, no job
        if self.paper_out or self.offline:
            return  # a real printer would not print it either
        with self._changed:
            self.jobs.append(printable)
            self._changed.notify_all()
        if self.on_job is not None:
            self.on_job(printable)

    def _status(self, n: int) -> int:
        if n == 1:
            return OFFLINE if self.offline or self.paper_out else ONLINE
        if n == 2:
            return ONLINE | (0x20 if self.paper_out else 0)
        if n == 4:
            return PAPER_END if self.paper_out else ONLINE
        return ONLINE


def _status_requests(chunk: bytes) -> list[int]:
    found, start = [], 0
    while (at := chunk.find(b"\x10\x04", start)) >= 0 and at + 2 < len(chunk):
        found.append(chunk[at + 2])
        start = at + 3
    return found


def _without_status_requests(data: bytes) -> bytes:
    for n in (1, 2, 3, 4):
        data = data.replace(b"\x10\x04" + bytes([n]), b"")
    return data
