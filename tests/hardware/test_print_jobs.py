"""One print job at a time (the review of the last stop): a receipt, a settled slip and a report
print from different worker threads, and a serial printer takes one stream of bytes. Each
job (its status asked, then its bytes) reaches the printer whole, and each caller is told
what became of its own job, not of whichever printed last."""

from __future__ import annotations

import contextlib
import os
import threading
import tty
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from hardware.printers.decode import decode
from hardware.printers.escpos import status_request
from hardware.printers.folder import PictureFolder
from hardware.printers.transports import SerialTransport
from hardware.printers.virtual import ONLINE
from posapp.adapters.printer import ReceiptPrinter
from posapp.config import PrinterConfig
from posapp.terminal.ports import PrintJob
from tests.hardware.test_printing import BASE
from tests.helpers import wait_for

STATUS = b"".join(status_request(n) for n in (1, 2, 4))  # what a job asks before its bytes


class SerialPrinter:
    """A printer on the far side of a real pty, as a serial printer is: one stream in, each
    DLE EOT status request answered "ready" as it arrives."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.stream = bytearray()
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            with self._lock:
                self.stream += chunk
            for _ in range(chunk.count(b"\x10\x04")):  # status requests: one byte each
                os.write(self.master, bytes([ONLINE]))

    def got(self) -> bytes:
        with self._lock:
            return bytes(self.stream)

    def close(self) -> None:
        self._stop = True
        os.close(self.slave)
        with contextlib.suppress(OSError):
            os.close(self.master)


@pytest.fixture
def serial_printer() -> Iterator[SerialPrinter]:
    printer = SerialPrinter()
    yield printer
    printer.close()


def a_logo(tmp_path: Path) -> str:
    """A store's logo, wide and tall: each job is tens of kilobytes, as on a real till."""
    picture = Image.new("1", (576, 400), 1)
    for top in range(0, 400, 40):
        picture.paste(0, (0, top, 576, top + 20))  # black stripes: 0xFF and 0x00 raster bytes
    path = tmp_path / "logo.png"
    picture.save(path)
    return str(path)


def at_once(service: ReceiptPrinter, *receipts: object) -> list[PrintJob]:
    """Each receipt printed from its own thread, all started together."""
    start = threading.Barrier(len(receipts))
    done: list[PrintJob | None] = [None] * len(receipts)

    def run(i: int, receipt: object) -> None:
        start.wait(5)
        done[i] = service.print(receipt)  # type: ignore[arg-type]

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(receipts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(job is not None for job in done)
    return [job for job in done if job is not None]


def test_two_receipts_printed_at_once_reach_a_serial_printer_whole(
    serial_printer: SerialPrinter, tmp_path: Path
) -> None:
    config = PrinterConfig(transport="serial", port=serial_printer.path)
    service = ReceiptPrinter(SerialTransport(serial_printer.path), config, logo=a_logo(tmp_path))
    sale = replace(BASE, receipt_number="307744000001", cashier="Ann")
    slip = replace(BASE, kind="settled", receipt_number="307744000002", cashier="Bob")
    first, second = at_once(service, sale, slip)
    assert len(first.data) > 20_000  # big enough for a device to take it in pieces
    wanted = {
        STATUS + first.data + STATUS + second.data,
        STATUS + second.data + STATUS + first.data,
    }
    whole = 2 * len(STATUS) + len(first.data) + len(second.data)
    wait_for(lambda: len(serial_printer.got()) >= whole, 10, "both jobs at the printer")
    stream = serial_printer.got()
    assert stream in wanted  # each job's status, then its bytes, one job after the other
    for job, cashier in ((first, "Ann"), (second, "Bob")):
        at = stream.index(job.data)
        lines = decode(stream[at : at + len(job.data)]).lines
        assert any(line.startswith("Cashier") and line.endswith(cashier) for line in lines)
        assert job.said == "receipt printed"


def test_each_caller_is_told_where_its_own_receipt_went(tmp_path: Path) -> None:
    """The virtual printer's folder: each job is a picture, and each caller names its own."""
    folder = tmp_path / "receipts"
    config = PrinterConfig(transport="virtual", folder=str(folder))
    service = ReceiptPrinter(PictureFolder(folder), config)
    receipts = [replace(BASE, receipt_number=f"30774400000{i}") for i in range(1, 7)]
    jobs = at_once(service, *receipts)
    for receipt, job in zip(receipts, jobs, strict=True):
        assert job.said.startswith("receipt saved as ")
        assert job.said.endswith(f"receipt-{receipt.receipt_number}.png")
        assert decode(job.data).barcodes == [receipt.receipt_number]
    assert sorted(p.name for p in folder.iterdir()) == [
        f"receipt-{r.receipt_number}.png" for r in receipts
    ]
