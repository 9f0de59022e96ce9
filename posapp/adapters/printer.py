"""Receipts on paper: the Receipt model laid out for 58 mm (32 columns) or 80 mm (48
columns) and encoded to ESC/POS; and the printer service that asks the printer's status
first and keeps what could not be printed for a reprint (product.md, "Printing")."""

from __future__ import annotations

import json
import textwrap
import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from hardware.printers import escpos
from hardware.printers.transports import (
    FileTransport,
    NetworkTransport,
    PrinterError,
    SerialTransport,
    Transport,
    UsbTransport,
)
from posapp.config import PrinterConfig
from posapp.core import unknown
from posapp.core.offline import MARK as OFFLINE_MARK  # its words: _(OFFLINE_MARK)
from posapp.core.receipt import Line, Receipt
from posapp.i18n import N_, _
from posapp.terminal.ports import PrintFailed, PrintJob


def rows(label: str, value: str, columns: int) -> list[str]:
    """Label on the left, value on the right, on one line when both fit whole; otherwise
    the label on a line of its own and the value under it, right-aligned and wrapped. A
    label is never cut ("Car" beside a 44-character masked code) and no value is lost
    (Square's 38-letter transaction ids on 58 mm paper's 32 columns); a value in words is
    wrapped between them ("Offline: 14 accepted, 13 confirmed, 1 declined: $12.50 not
    collected", issue 24: it read "... $12.50 no" / "t collected")."""
    if len(label) + 1 + len(value) <= columns:
        return [label.ljust(columns - len(value) - 1) + " " + value]
    lines = _wrap(label, columns) if label else []  # a long German label wraps, never cut
    if " " in value.strip():
        return lines + [part.rjust(columns) for part in textwrap.wrap(value, columns)]
    lines += [value[i : i + columns].rjust(columns) for i in range(0, len(value), columns)]
    return lines


def lay_out(
    receipt: Receipt,
    *,
    paper_width_mm: int = 80,
    codepage: str = "cp437",
    cut: bool = True,
    drawer: bool = True,
    logo_png: bytes | None = None,
) -> bytes:
    columns = escpos.columns(paper_width_mm)
    doc = escpos.Document(codepage)
    if receipt.open_drawer and drawer:
        doc.add(escpos.drawer_kick())  # the drawer opens while the receipt prints
    if logo_png:
        _centered(doc, escpos.logo(logo_png, 576 if columns == 48 else 384))
    doc.line(receipt.store_name[: columns // 2], strong=True, how="center", width=2, height=2)
    for header in receipt.header:
        doc.line(header[:columns], how="center")
    doc.line()
    for words in _wrap(receipt.title, columns):  # words wrapped, never cut
        doc.line(words, strong=True, how="center")
    flags = (
        (_("DUPLICATE"), receipt.duplicate),
        (_("NOT CONFIRMED"), receipt.not_confirmed),
        (_("OFFLINE"), receipt.offline),
    )
    for flag, on in flags:
        for words in _wrap(flag, columns // 2) if on else ():  # double width: half as many
            doc.line(words, strong=True, how="center", width=2, height=2)
    if receipt.offline:  # issue 24: taken offline, forwarded when the provider answers
        for words in _wrap(_(OFFLINE_MARK), columns):
            doc.line(words, strong=True, how="center")
    heading = [(f"{receipt.when:%Y-%m-%d %H:%M}", receipt.location)]
    if receipt.cashier:  # no name: no line (never "Cashier  Cashier")
        heading.append((_("Cashier"), receipt.cashier))
    if receipt.shown_serial:
        heading.append((_("Card"), receipt.shown_serial))
    for label, value in heading:
        for text in rows(label, value, columns):
            doc.line(text)
    rule = "-" * columns
    doc.line(rule)
    for item in receipt.lines:
        for text in rows(item.label, item.value, columns):
            doc.line(text, strong=item.bold)
    doc.line(rule)
    if receipt.not_confirmed:
        for words in _wrap(unknown.on_slip(receipt.kind), columns):
            doc.line(words)
    if receipt.transaction_id:
        # The provider's id whole, for its support.
        for text in rows(_("Provider's ref."), receipt.transaction_id, columns):
            doc.line(text)
    if receipt.barcode:
        # The barcode carries the journal's receipt number, not the provider's id above it:
        # its digits go under it with their name, so the paper explains both numbers.
        # GS k leaves the print position at the start of the line: the number follows it.
        _centered(doc, escpos.code128(receipt.barcode, height=60, hri=False))
        for words in _wrap(_("Receipt {number}").format(number=receipt.barcode), columns):
            doc.line(words, how="center")
        # The number a cashier scans or types to find this receipt again (the demo trial,
        # 10: "which of the two numbers do I use?"; the provider's is for its support).
        for words in _wrap(_(FIND_IT), columns):
            doc.line(words, how="center")
    if receipt.new_card_code:
        for words in _wrap(_("Your new gift card"), columns):
            doc.line(words, strong=True, how="center")
        doc.line(receipt.new_card_code, strong=True, how="center", width=2, height=1)
        _centered(doc, escpos.code128(receipt.new_card_code, height=80))
        doc.add(escpos.LF)
    if receipt.signature_line:
        doc.line()
        sign = _("Signature:")
        doc.line(f"{sign} " + "_" * max(columns - len(sign) - 1, 8))
        for words in _wrap(_("Cash received by the customer"), columns):
            doc.line(words, how="center")
    for note in receipt.notes:
        for words in _wrap(note, columns):
            doc.line(words)
    for footer in receipt.footer:
        for words in _wrap(footer, columns):
            doc.line(words, how="center")
    doc.add(escpos.feed(3))
    if cut:
        doc.add(escpos.cut())
    return doc.bytes()


def _centered(doc: escpos.Document, *commands: bytes) -> None:
    """Logos and barcodes print centred; text after them is left-aligned again."""
    doc.add(escpos.align("center"), *commands, escpos.align("left"))


def _wrap(text: str, columns: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, columns) or [""]


def sample_page(config: PrinterConfig) -> bytes:
    """`posapp check --print-test`: the code page, sizes, a barcode and a QR code."""
    columns = escpos.columns(config.paper_width_mm)
    doc = escpos.Document(config.codepage)
    doc.line("posapp test page", strong=True, how="center", width=2, height=2)
    doc.line(f"{config.paper_width_mm} mm, {columns} columns, {config.codepage}", how="center")
    doc.line("0123456789" * (columns // 10) + "0123456789"[: columns % 10])
    doc.line("Bold", strong=True)
    doc.add(escpos.align("center"), escpos.code128("POSAPP-TEST", height=60), escpos.LF)
    doc.add(escpos.qr("https://posapp.invalid/test", module=5), escpos.align("left"), escpos.LF)
    doc.add(escpos.feed(3))
    if config.cut:
        doc.add(escpos.cut())
    return doc.bytes()


def transport_for(config: PrinterConfig, virtual_port: int | None = None) -> Transport | None:
    """The configured transport ("virtual" prints to the virtual printer's port)."""
    if config.transport == "network":
        return NetworkTransport(config.host, config.network_port)
    if config.transport == "serial":
        return SerialTransport(str(config.port), config.baudrate)
    if config.transport == "file":
        return FileTransport(config.path)
    if config.transport == "usb":
        return UsbTransport(config.vendor_id, config.product_id)
    if config.transport == "virtual" and virtual_port is not None:
        return NetworkTransport("127.0.0.1", virtual_port)
    if config.transport == "virtual" and config.folder:
        from hardware.printers.folder import PictureFolder

        return PictureFolder(Path(config.folder).expanduser(), config.paper_width_mm)
    return None


# The words for a receipt that went nowhere: a till with no printer never says "printed"
# (issue 19). A refund to a new card's code is shown to the manager instead (F12).
NO_PRINTER = N_("no receipt: this till has no printer")
NO_SLIP_PRINTER = N_("no balance slip: this till has no printer")
FIND_IT = N_("Scan or type it at the till")  # under the receipt's number: the one to use


def no_printer_words(config: PrinterConfig) -> str:
    """Why a till prints nothing, and what to set, for `posapp check` and the status bar."""
    if config.transport == "none":
        return _("No printer ({setting}): no receipts are printed").format(
            setting='printer.transport = "none"'
        )
    said = _(
        "No printer: the virtual printer has no folder to save receipts in; set [printer] "
        "{setting} (each receipt a picture there), or a real printer's transport"
    )
    return said.format(setting='folder = "~/receipts"')


class ReceiptPrinter:
    """Prints receipts, asking the printer first where it can answer. A receipt that could
    not be printed is kept (journal) and the error says so; the sale is never undone."""

    def __init__(
        self,
        transport: Transport | None,
        config: PrinterConfig,
        keep: Callable[[str], object] | None = None,
        logo: str = "",
    ) -> None:
        self.transport = transport
        self.config = config
        self.keep = keep
        self.logo_png = Path(logo).read_bytes() if logo else None
        # One job at a time, its status asked first: a receipt, a settled slip and a report
        # print from different worker threads, and a serial or USB printer takes one stream.
        self._lock = threading.Lock()

    def encode(self, receipt: Receipt) -> bytes:
        return lay_out(
            receipt,
            paper_width_mm=self.config.paper_width_mm,
            codepage=self.config.codepage,
            cut=self.config.cut,
            drawer=self.config.cash_drawer,
            logo_png=self.logo_png,
        )

    def print(self, receipt: Receipt) -> PrintJob:
        """The receipt printed whole, after any job before it; what became of this one."""
        data = self.encode(receipt)
        slip = receipt.kind == "balance"  # a balance slip is no receipt: said as what it is
        if self.transport is None:
            return PrintJob(data, _(NO_SLIP_PRINTER) if slip else _(NO_PRINTER))
        try:
            with self._lock:
                saved = self._send(self.transport, data, receipt.picture_name)
        except PrinterError as exc:
            if self.keep is not None:
                self.keep(receipt_json(receipt))
            raise PrintFailed(str(exc), data) from exc
        if saved:
            words = _("balance slip saved as {path}") if slip else _("receipt saved as {path}")
            return PrintJob(data, words.format(path=home_short(saved)))
        return PrintJob(data, _("receipt printed"))

    def print_calibration(self, code: str) -> PrintJob:
        """The scanner calibration's slip (adapters/calibration_slip.py), printed as a
        receipt is: after any job before it, the printer asked first; nothing kept."""
        from posapp.adapters.calibration_slip import slip

        config = self.config
        data = slip(
            code, paper_width_mm=config.paper_width_mm, codepage=config.codepage, cut=config.cut
        )
        if self.transport is None:
            return PrintJob(data, NO_PRINTER)
        with self._lock:
            saved = self._send(self.transport, data, "scanner-calibration")
        return PrintJob(data, f"saved as {home_short(saved)}" if saved else "printed")

    @staticmethod
    def _send(transport: Transport, data: bytes, name: str) -> Path | None:
        """Under the lock: the printer's status, then the job; the picture it was saved as
        (the virtual printer's folder), read before another job can replace it."""
        status = transport.status()
        if status is not None and not status.ready:
            said = _(
                "The {printer} is {status}: the receipt is kept; reprint it with F9 once it is "
                "fixed"
            )
            raise PrinterError(said.format(printer=transport.name, status=status.words()))
        save = getattr(transport, "save", None)  # pictures: named by the receipt
        if save is None:
            transport.write(data)
            return None
        save(data, name)
        saved: Path | None = getattr(transport, "last_saved", None)
        return saved

    def status_words(self) -> tuple[str, bool]:
        """The status bar's words for the printer, and whether it can print: asks the
        printer (off the Tk thread). A till with no printer says so, never "ready"."""
        if self.transport is None:
            return _("none: receipts are not printed"), False
        try:
            status = self.transport.status()
        except PrinterError:
            return _("offline"), False
        if status is not None and not status.ready:
            return status.words(), False
        folder = getattr(self.transport, "folder", None)
        if folder is None:
            return _("ready"), True
        return _("pictures in {folder}").format(folder=home_short(folder)), True


def home_short(path: Path) -> str:
    """A path as a person reads it on a narrow status bar: ~/receipts."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def receipt_json(receipt: Receipt) -> str:
    values = asdict(receipt)
    values["when"] = receipt.when.isoformat()
    return json.dumps(values)


def receipt_from_json(text: str) -> Receipt:
    values = json.loads(text)
    values["when"] = datetime.fromisoformat(values["when"])
    values["lines"] = tuple(Line(**line) for line in values["lines"])
    for name in ("header", "footer", "notes"):
        values[name] = tuple(values[name])
    return Receipt(**values)
