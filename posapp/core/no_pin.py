"""A fresh till has no manager PIN: the keys that ask for one say so before their PIN pad,
in these words (issue 19: they showed a pad and said it only after a PIN was typed)."""

from __future__ import annotations

from posapp.core.glossary import Words
from posapp.i18n import N_, _

# The [manager] require_pin_for action each key asks the PIN for (F12: the manager menu).
PIN_FOR_ACTION = {
    "refund": "refund",
    "reverse": "reverse",
    "cash_out": "cash_out",
    "manager": "cards",
}
# What asks for the PIN, as the sentence that says none is set names it.
NEEDS_PIN = Words(
    {
        "refund": N_("A refund to a new card"),
        "reverse": N_("A reversal"),
        "reversal": N_("A reversal"),
        "cash_out": N_("A cash-out"),
        "manager": N_("The manager menu"),
    }
)


def no_pin(what: str) -> str:
    """Said before a PIN pad that no PIN could open (issue 19: said after one was typed)."""
    return _(
        "{what} needs the manager PIN, and none is set on this till yet. Whoever set the "
        "till up sets one with `posapp set-pin`; the till takes it at once."
    ).format(what=what)
