"""The till's calls while it sells offline (issue 24): a scan the provider could not be asked
about becomes the card as last seen online (terminal/offline.py `Offline.last_known`), and an
offline redemption is journalled and printed by `Offline.redeem`. terminal/till_calls.py
hands these here; off (no `[offline]` rules), nothing reaches them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from posapp.core.done_words import Printed, done_words
from posapp.core.entry import Entry
from posapp.core.money import format_money
from posapp.core.offline_card import held_offline, taken_words
from posapp.core.offline_slip import offline_slip
from posapp.core.receipt import Receipt
from posapp.core.settling import still_to_settle
from posapp.core.till_events import CardSeen, Check, CheckFailed
from posapp.core.till_request import RedeemOffline, Request, Result
from posapp.terminal.offline import NotChecked, Offline

if TYPE_CHECKING:
    from posapp.terminal.service import Terminal


def seen(offline: Offline, effect: Check, error: NotChecked) -> CardSeen | CheckFailed | None:
    """The card as last seen online, for a scan the provider could not be asked about (the
    request never left the till: terminal/offline.py's NotChecked); None when the till does
    not sell offline, or the scan named no card code (the failed check is said as before).
    A card with a movement still to send or settle takes nothing more until it is done (the
    settler's order, terminal/movement.py): said at the scan, not after the confirm."""
    code = error.code
    if not offline.rules.on or code is None:
        return None
    held = next((e for e in offline.journal.to_settle() if e.code == code), None)
    if held is not None:
        locale = offline.locale
        words = held_offline(held, locale) if held.offline else still_to_settle(held, locale)
        return CheckFailed(effect.request, words)
    return CardSeen(
        effect.request,
        code,
        offline.last_known(code),
        datetime.now(UTC),
        str(error),
        taken=offline.taken_this_shift(),
        off_for_shift=offline.off_for_shift,
    )


def redeem(offline: Offline, job: RedeemOffline) -> Receipt:
    """Taken offline within the rules (checked again there, on the journal's figures), or
    online after all if the provider answers now."""
    return offline.redeem(job.last, job.amount)


def done(request: Request, receipt: Receipt, printed: Printed, locale: str) -> Result:
    """The words of an offline redemption; the card leaves the screen either way (its balance
    is the provider's to say: scanned again, it is read, or shown as last seen). A provider
    that answered after all took it online: said as any redemption."""
    job = request.job
    assert isinstance(job, RedeemOffline)
    if not receipt.offline:
        said = done_words(request, receipt, printed, None, locale)
        return Result(said.words, said.tone, clears_card=True, moved=said.moved)
    amount = format_money(job.amount, job.last.currency, locale)
    words = taken_words(amount, job.last.code, printed.said, printed.problem)
    return Result(words, "warn", clears_card=True, moved=True)


def as_made(terminal: Terminal, entry: Entry) -> Receipt:
    """An entry's receipt again (the receipt preview, F9): a redemption taken offline with
    its receipt number, marked "OFFLINE: to be confirmed" while it waits, not NOT CONFIRMED,
    then as the provider answered it: confirmed or declined (core/offline_slip.py)."""
    receipt = terminal.entry_receipt(entry, as_made=True)
    return offline_slip(receipt, entry, terminal.journal.receipt_number(entry.id))
