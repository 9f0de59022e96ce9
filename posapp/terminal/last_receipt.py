"""F9's receipt: the last one the till made and printed (or could not print), kept here by
whoever printed it (terminal/till_calls.py on a worker, a report or a slip on the Tk
thread) and read by the reprint on a worker, so it is held under a lock, never read from
the window. After a restart, the one the journal kept because the printer could not take it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from posapp.core.receipt import Receipt
from posapp.i18n import _
from posapp.terminal.ports import CashierError


def _none() -> Receipt | None:
    return None


class LastReceipt:
    def __init__(
        self,
        kept: Callable[[], Receipt | None] = _none,
        *,
        lost: Callable[[], Receipt | None] = _none,
        made: Callable[[], Receipt | None] = _none,
    ) -> None:
        """`kept`: the receipt the journal kept unprinted (read only when none is held);
        `lost`: a sale's receipt never printed, the till stopped first (printed as it is);
        `made`: the shift's last receipt from the journal, a copy (terminal/last_made.py)."""
        self._kept, self._lost, self._made = kept, lost, made
        self._lock = threading.Lock()
        self._receipt: Receipt | None = None

    def keep(self, receipt: Receipt) -> None:
        with self._lock:
            self._receipt = receipt

    @property
    def receipt(self) -> Receipt | None:
        """The last receipt of this run, or None (the journal's kept one is not read here)."""
        with self._lock:
            return self._receipt

    def reprint(self) -> Receipt:
        """The last receipt again, marked DUPLICATE; after a restart, a sale's receipt that
        never printed (the original), the kept one, or the shift's last from the journal."""
        receipt = self.receipt
        if receipt is not None:
            return receipt.reprint()
        lost = self._lost()
        if lost is not None:
            return lost
        receipt = self._kept()
        if receipt is not None:
            return receipt.reprint()
        made = self._made()
        if made is None:
            raise CashierError(_("Nothing to reprint yet"))
        return made
