"""The shift: who is signed in, its X and Z reports, its reconciliation with the provider,
and its pages of entries for the shift list (product.md, "Shift reports")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from posapp.core import adjustment as manager_changes
from posapp.core import sale_report, setting_change
from posapp.core.entry import Entry
from posapp.core.offline_tally import earlier_lines, tally
from posapp.core.offline_tally import report_lines as offline_lines
from posapp.core.pin_lock import wrong_pin_lines
from posapp.core.receipt import Line, Receipt, ReceiptKind
from posapp.core.receipt_lines import local, make_receipt
from posapp.core.reports import (
    NET_MEANS,
    SINCE_MARGIN_S,
    provider_since,
    reconcile,
    report_lines,
)
from posapp.core.sale_entries import with_payments
from posapp.core.sale_report import sale_problems
from posapp.core.settings import ReceiptHeading
from posapp.core.sign_in import SignIn, cashier_lines
from posapp.i18n import _
from posapp.terminal.ports import (
    CashierError,
    GiftProvider,
    JournalUnwritable,
    ProviderError,
    ShiftJournal,
)

SHIFT_PAGE = 20  # the shift list's rows read at a time: a screenful, and some

log = logging.getLogger("posapp.terminal")


@dataclass
class Shift:
    journal: ShiftJournal
    provider: GiftProvider
    heading: ReceiptHeading
    locale: str
    # The store's currency (asked of the provider once), for a report with no movement.
    currency: Callable[[], str]
    # config's `terminal.cashier`: the name on receipts when nobody signed in this shift.
    configured: str | None = None
    # The name on receipts: the configured one, or a per-shift sign-in.
    cashier: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def resume_sign_in(self) -> None:
        """At start: the name signed in before a restart stays until the Z report (the
        journal keeps sign-ins, version 10); with none, the config's name is signed in now.
        A journal that cannot take it is logged: the name still goes on the receipts."""
        last = self.journal.last_sign_in()
        configured = self.cashier or ""
        if last is not None and (last.how == "manager" or last.name == configured):
            self.cashier = last.name or None
            return
        try:
            self.journal.sign_in(self.clock().timestamp(), configured, "start")
        except JournalUnwritable as exc:
            log.warning("the sign-in at start was not kept: %s", exc)

    def sign_in(self, name: str) -> None:
        """A cashier signs in for the shift: their name goes on its receipts until the Z
        report closes it, across a restart (the journal keeps it)."""
        name = " ".join(name.split())[:40]
        self.journal.sign_in(self.clock().timestamp(), name, "manager")
        self.cashier = name

    # --- reports --------------------------------------------------------------------------

    def x_report(self) -> Receipt:
        return self._report("x_report")

    def z_report(self) -> Receipt:
        """The shift's totals; the shift closes and the next money movement opens another."""
        receipt = self._report("z_report")
        # A sign-in lasts one shift: the config's name again, kept with the closing.
        then = SignIn(self.clock().timestamp(), self.configured or "", "z_report")
        self.journal.close_shift(self.journal.current_shift(), then=then)
        self.cashier = self.configured
        return receipt

    def shift_is_empty(self) -> bool:
        """Nothing was journalled in the open shift: a Z report now would close nothing."""
        return not self.journal.shift_page(self.journal.current_shift(), None, 1)

    def last_z_report(self) -> Receipt | None:
        """The Z report of the shift closed last, built again from the journal (its totals
        are kept by the database), marked DUPLICATE; None when no shift was closed yet."""
        closed = self.journal.last_closed_shift()
        if closed is None:
            return None
        shift, _opened, closed_at = closed
        return self._report("z_report", shift=shift, closed_at=closed_at).reprint()

    def reconciliation(self) -> list[str]:
        """The shift's journal against the provider's transactions, asked for by the
        provider's own times (core.reports.provider_since), never the till's clock; then
        each of its sales paid card by card that does not add up (core/sale_report.py)."""
        shift = self.journal.current_shift()
        sales = [
            with_payments(sale, self.journal.sale_entries(sale.id))
            for sale in self.journal.sales_in_shift(shift)
        ]
        return self._against_provider(shift) + sale_problems(sales, self.locale)

    def _against_provider(self, shift: int) -> list[str]:
        entries = self.journal.entries(shift)
        since = provider_since(entries, self.journal.provider_time_before(shift))
        if since is None and any(e.moved_money for e in entries):
            # Confirmed before the journal kept the provider's times (version 7): the
            # till's clock is all there is for this shift.
            since = self.journal.shift_opened_at(shift) - SINCE_MARGIN_S
        if since is None:  # nothing the provider confirmed: nothing of its to compare
            return reconcile(entries, [])
        try:
            theirs = self.provider.transactions(since=datetime.fromtimestamp(since, UTC))
        except ProviderError as exc:
            raise CashierError(str(exc)) from exc
        mine = {e.transaction_id for e in entries}
        elsewhere = self.journal.known_transactions(t.id for t in theirs if t.id not in mine)
        # A manager change has no transaction id in the journal: it is known by its key,
        # the adjustment's client reference, in whichever shift made it (the demo trial:
        # the shift after a Z listed the last shift's changes as not in the journal).
        keys = self.journal.known_keys(t.client_reference for t in theirs if t.client_reference)
        elsewhere |= {t.id for t in theirs if t.client_reference in keys}
        asked = datetime.fromtimestamp(since, UTC)
        return reconcile(entries, theirs, elsewhere=elsewhere, since=asked)

    # --- the shift's entries ----------------------------------------------------------------

    def shift_entries(self) -> list[Entry]:
        return self.journal.entries(self.journal.current_shift())

    def shift_page(self, before: int | None = None) -> list[Entry]:
        """A screenful of the open shift, the newest (or those older than entry `before`),
        oldest first; read by index, so a long shift costs what a short one does."""
        return self.journal.shift_page(self.journal.current_shift(), before, SHIFT_PAGE)

    def entry_for_transaction(self, text: str) -> list[Entry]:
        """The open shift's entry of a scanned receipt barcode, and its reversal if it has
        one (done or to settle), both by index. The barcode is the journal's receipt number,
        whichever API made the transaction; a provider's transaction id (what receipts
        carried before journal version 4, and what a cashier may type from api.md's
        answers) is looked up next. Only text that can be either (digits; a 64-bit id has
        at most 20) is looked up at all."""
        if not (text.isdigit() and len(text) <= 20):
            return []
        shift = self.journal.current_shift()
        found = self.journal.entry_for_receipt(shift, text) or self.journal.entry_for_transaction(
            shift, text
        )
        if found is None:
            return []
        undone = self.journal.reversal_of(found.id)
        return [found] if undone is None else [found, undone]

    def _report(
        self, kind: ReceiptKind, *, shift: int | None = None, closed_at: float | None = None
    ) -> Receipt:
        """X or Z: the shift's start and end, counts and totals by type, the net; no footer
        (it is the store's paper, not the customer's). `shift` and `closed_at`: a shift
        closed already, its Z built again (for a reprint)."""
        shift = self.journal.current_shift() if shift is None else shift
        found, currency = self.journal.shift_totals(shift)  # summed by the database
        currency = currency or self.currency()
        opened_at = self.journal.shift_opened_at(shift)
        opened = datetime.fromtimestamp(opened_at, UTC)
        now = self.clock()
        until = now if closed_at is None else local(closed_at, now.tzinfo)
        label = _("Shift closed") if kind == "z_report" else _("Up to")
        sign_ins = self.journal.sign_ins(opened_at, until.timestamp())

        def at(timestamp: float) -> datetime:
            return local(timestamp, now.tzinfo)

        lines = [
            Line(_("Shift opened"), f"{opened.astimezone(now.tzinfo):%Y-%m-%d %H:%M}"),
            Line(label, f"{until:%Y-%m-%d %H:%M}"),
            *cashier_lines(sign_ins, opened, now.tzinfo),
            *report_lines(found, currency, self.locale),
            # Sales paid card by card (issue 23): their movements are counted above.
            *sale_report.report_lines(
                self.journal.shift_sales(shift),
                sale_report.dues(self.journal.sales_in_shift(shift), self.locale),
            ),
            # Offline selling (issue 24): what was taken, confirmed, and lost; and the losses
            # found in this shift of what earlier shifts took.
            *offline_lines(tally(self.journal.offline_entries(shift), at), currency, self.locale),
            *earlier_lines(
                self.journal.offline_lost_during(shift, until.timestamp() + 1),
                at,
                currency,
                self.locale,
            ),
            # A manager's money changes, apart from sales (issue 19.2): each, and who.
            *manager_changes.report_lines(
                self.journal.manager_changes(shift), currency, self.locale
            ),
            *wrong_pin_lines(*self.journal.wrong_pins_since(opened_at, closed_at)),
            # A manager's settings changes, each with who and when (journal version 12).
            *setting_change.report_lines(
                self.journal.setting_changes(opened_at, until.timestamp())
            ),
        ]
        # No single "Cashier" line on a report: the lines above say who was on when.
        return make_receipt(
            self.heading, kind, lines, footer=(), notes=(_(NET_MEANS),), cashier="", when=until
        )
