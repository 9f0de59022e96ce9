"""Where ESC/POS bytes go: serial, USB, the network (TCP 9100), or a file or device path.

Every error names the port, host or path, so the person at the till knows which cable to
check. Where the transport can read, the printer's real-time status is asked before a job.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

from hardware.printers.errors import PrinterError
from hardware.printers.escpos import status_request

__all__ = ["PrinterError", "PrinterStatus", "Transport"]


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    online: bool
    paper_out: bool
    cover_open: bool = False

    @property
    def ready(self) -> bool:
        return self.online and not self.paper_out and not self.cover_open

    def words(self) -> str:
        if self.paper_out:
            return "paper out"
        if self.cover_open:
            return "cover open"
        return "ready" if self.online else "offline"


def parse_status(printer: int, offline_cause: int, paper: int) -> PrinterStatus:
    """DLE EOT answers (APG, "DLE EOT"): n=1 bit 3 offline; n=2 bit 2 cover open, bit 5
    paper end stop; n=4 bits 5 and 6 roll paper end."""
    return PrinterStatus(
        online=not printer & 0x08,
        paper_out=bool(paper & 0x60) or bool(offline_cause & 0x20),
        cover_open=bool(offline_cause & 0x04),
    )


class Transport(Protocol):
    name: str

    def write(self, data: bytes) -> None: ...
    def status(self) -> PrinterStatus | None: ...


class NetworkTransport:
    """A printer on TCP port 9100 (raw, "JetDirect"): one connection per job."""

    def __init__(
        self,
        host: str,
        port: int = 9100,
        *,
        connect_timeout: float = 3.0,
        write_timeout: float = 10.0,
    ) -> None:
        self.host, self.port = host, port
        self.connect_timeout, self.write_timeout = connect_timeout, write_timeout
        self.name = f"network printer {host}:{port}"

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise PrinterError(
                f"The {self.name} does not answer ({exc.strerror or exc}): "
                "check that it is on and on the network"
            ) from exc
        sock.settimeout(self.write_timeout)
        return sock

    def status(self) -> PrinterStatus | None:
        with self._connect() as sock:
            answers = []
            try:
                for n in (1, 2, 4):
                    sock.sendall(status_request(n))
                    answers.append(sock.recv(1)[0])
            except (OSError, IndexError):
                return None  # a printer that does not answer status still prints
        return parse_status(*answers)

    def write(self, data: bytes) -> None:
        with self._connect() as sock:
            try:
                sock.sendall(data)
            except OSError as exc:
                raise PrinterError(
                    f"The {self.name} stopped taking the receipt ({exc}): it is kept for a reprint"
                ) from exc


class _SerialPort(Protocol):
    """What this module uses of pyserial's port (pyserial has no type hints)."""

    def __enter__(self) -> _SerialPort: ...
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def read(self, size: int = 1) -> bytes: ...
    def write(self, data: bytes) -> int | None: ...
    def flush(self) -> None: ...


class _Endpoint(Protocol):
    """What this module uses of a pyusb endpoint (pyusb has no type hints)."""

    def write(self, data: bytes, timeout: int | None = None) -> int: ...
    def read(self, size: int, timeout: int | None = None) -> Sequence[int]: ...


class SerialTransport:
    def __init__(self, port: str, baudrate: int = 19200, *, timeout: float = 2.0) -> None:
        self.port, self.baudrate, self.timeout = port, baudrate, timeout
        self.name = f"serial printer on {port}"

    def _open(self) -> _SerialPort:
        import serial

        try:
            port: _SerialPort = serial.serial_for_url(
                self.port,
                baudrate=self.baudrate,
                timeout=self.timeout,
                write_timeout=self.timeout * 5,
            )
        except (serial.SerialException, ValueError) as exc:
            raise PrinterError(
                f"The {self.name} cannot be opened ({exc}): check the cable "
                "and the port in the settings"
            ) from exc
        return port

    def status(self) -> PrinterStatus | None:
        with self._open() as port:
            answers = []
            for n in (1, 2, 4):
                port.write(status_request(n))
                got = port.read(1)
                if not got:
                    return None
                answers.append(got[0])
        return parse_status(*answers)

    def write(self, data: bytes) -> None:
        import serial

        with self._open() as port:
            try:
                port.write(data)
                port.flush()
            except serial.SerialException as exc:
                raise PrinterError(f"The {self.name} stopped taking the receipt ({exc})") from exc


class FileTransport:
    """A device such as /dev/usb/lp0, or a file that collects the bytes; it cannot answer."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.name = f"printer at {path}"

    def status(self) -> PrinterStatus | None:
        return None

    def write(self, data: bytes) -> None:
        try:
            with self.path.open("ab") as out:
                out.write(data)
        except OSError as exc:
            raise PrinterError(
                f"The {self.name} cannot be written ({exc.strerror}): check "
                "the path and its permissions"
            ) from exc


class UsbTransport:
    """A USB printer through pyusb (the `usb` extra): bulk OUT to its first endpoint."""

    def __init__(self, vendor_id: int, product_id: int, *, timeout_ms: int = 5000) -> None:
        self.vendor_id, self.product_id, self.timeout_ms = vendor_id, product_id, timeout_ms
        self.name = f"USB printer {vendor_id:04x}:{product_id:04x}"

    def _endpoints(self) -> tuple[_Endpoint, _Endpoint | None]:
        try:
            import usb.core
            import usb.util
        except ImportError as exc:
            raise PrinterError("USB printing needs pyusb: pip install 'posapp[usb]'") from exc
        device = usb.core.find(idVendor=self.vendor_id, idProduct=self.product_id)
        if device is None:
            raise PrinterError(f"The {self.name} is not plugged in (or not allowed to us)")
        interface = device.get_active_configuration()[(0, 0)]
        out = usb.util.find_descriptor(
            interface,
            custom_match=lambda e: (
                usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_OUT
            ),
        )
        back = usb.util.find_descriptor(
            interface,
            custom_match=lambda e: (
                usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN
            ),
        )
        return out, back

    def status(self) -> PrinterStatus | None:
        out, back = self._endpoints()
        if back is None:
            return None
        answers = []
        for n in (1, 2, 4):
            out.write(status_request(n), self.timeout_ms)
            answers.append(back.read(1, self.timeout_ms)[0])
        return parse_status(*answers)

    def write(self, data: bytes) -> None:
        out, _ = self._endpoints()
        try:
            out.write(data, self.timeout_ms)
        except Exception as exc:  # pyusb raises its own USBError family
            raise PrinterError(f"The {self.name} stopped taking the receipt ({exc})") from exc
