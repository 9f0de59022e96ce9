"""Cards issued as refunds, found again (issue 19): a refund to a new card gives the customer
only its code, on the receipt. Where the receipt did not print (no printer, paper out) or was
lost, the manager reads the code again from the journal, which keeps it in full."""

from __future__ import annotations

from posapp.core.entry import Entry
from posapp.terminal.ports import JournalPort

SHIFTS = 2  # this shift and the one a Z report closed before it


def refund_cards(journal: JournalPort, shifts: int = SHIFTS) -> list[Entry]:
    """The refunds to a new card of the last `shifts` shifts, newest first; one still to
    settle has no code yet ("(new card)") until the provider answers."""
    current = journal.current_shift()
    found = [
        entry
        for shift in range(current, max(current - shifts, 0), -1)
        for entry in journal.entries(shift)
        if entry.operation == "issue"
    ]
    return sorted(found, key=lambda entry: entry.id, reverse=True)
