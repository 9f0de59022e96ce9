"""The virtual printer outside the demo: each job drawn as the paper would look (virtual.py's
`render`) and saved as a picture in a folder: by the name the till gives it (`save`: a receipt
by its receipt number), else as the next of receipt-00001.png, receipt-00002.png...

A till with no printer yet (a store trying posapp, a training till) keeps every receipt
this way, and a refund to a new card keeps the code its customer needs (issue 19: the
virtual printer printed to nowhere and said "receipt printed")."""

from __future__ import annotations

import re
from pathlib import Path

from hardware.printers.errors import PrinterError
from hardware.printers.render import render
from hardware.printers.transports import PrinterStatus

_NUMBERED = re.compile(r"receipt-(\d+)\.png")


class PictureFolder:
    def __init__(self, folder: Path, paper_mm: int = 80) -> None:
        self.folder = folder
        self.paper_mm = paper_mm
        self.name = f"virtual printer (pictures in {folder})"
        self.last_saved: Path | None = None

    def status(self) -> PrinterStatus:
        """Ready when the folder can take a picture: it exists (or can be made) and is ours
        to write; otherwise PrinterError, in words, as a printer that cannot be reached."""
        self._make()
        probe = self.folder / ".posapp-write-test"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise PrinterError(
                f"The {self.name} cannot save into its folder ({exc.strerror}): check "
                "[printer] folder and its permissions"
            ) from exc
        return PrinterStatus(online=True, paper_out=False)

    def write(self, data: bytes) -> None:
        self.save(data, None)

    def save(self, data: bytes, stem: str | None) -> None:
        """The job as a picture named `stem`.png (stem-2.png, stem-3.png... when taken: a
        reprint); with no stem, the next receipt-NNNNN.png. The retrial of a till (L): a
        file numbered by the folder, receipt-00005.png, was the receipt numbered ...000004."""
        self._make()
        picture = render(data, self.paper_mm)
        number = 1 + max(
            (int(m.group(1)) for p in self.folder.iterdir() if (m := _NUMBERED.fullmatch(p.name))),
            default=0,
        )
        tries = 1
        while True:  # a job printed at the same moment by another thread takes the next one
            again = f"-{tries}" if tries > 1 else ""
            path = self.folder / (f"{stem}{again}.png" if stem else f"receipt-{number:05d}.png")
            try:
                with path.open("xb") as out:
                    picture.save(out, format="PNG")
            except FileExistsError:
                number, tries = number + 1, tries + 1
                continue
            except OSError as exc:
                raise PrinterError(
                    f"The {self.name} could not save the receipt ({exc.strerror}): it is "
                    "kept for a reprint"
                ) from exc
            self.last_saved = path
            return

    def _make(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrinterError(
                f"The {self.name} cannot make its folder ({exc.strerror}): check [printer] folder"
            ) from exc
