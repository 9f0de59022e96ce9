"""What undoing a transaction does on the cash side, in a cashier's words: said on the PIN
overlay before it is done, and with the result after (the second trial, demo #7: void and
reversal words never said what to give the customer or take back). Pure."""

from __future__ import annotations

from posapp.i18n import _


def before_undo(operation: str, moved: str, *, items: bool = False) -> str:
    """What the void or reversal of `operation` (which moved `moved`) will do."""
    if operation == "redemption" and items:
        said = _(
            "The card gets its {moved} back: the customer gives the item back, or pays for it."
        )
    elif operation == "redemption":
        said = _(
            "The card gets its {moved} back: the customer then pays for the goods another "
            "way, or gives them back."
        )
    elif operation == "cash_out":
        said = _("The card gets its {moved} back: the customer hands back the {moved} cash.")
    elif operation == "activation":
        said = _(
            "The card's {moved} is taken off and the card closed: the customer gets their "
            "{moved} back, the way they paid."
        )
    elif operation == "issue":
        said = _(
            "The customer's refund card loses its {moved} and is closed: their refund is "
            "gone unless they get it another way."
        )
    else:
        return ""
    return said.format(moved=moved)


def after_undo(operation: str, moved: str, *, items: bool = False) -> str:
    """What the cashier does now that it is done."""
    if operation == "redemption" and items:
        return _("Take the item back, or have it paid another way.")
    if operation == "redemption":
        said = _("Take {moved} from the customer another way, or take the goods back.")
    elif operation == "cash_out":
        said = _("Take the {moved} cash back from the customer.")
    elif operation == "activation":
        said = _("Give the customer back {moved}, the way they paid, and keep the card.")
    elif operation == "issue":
        return _("Take the refund slip back: the card on it is closed.")
    else:
        return ""
    return said.format(moved=moved)


def spent_since(operation: str, card: str, held: str, value: str) -> str:
    """A card sold or issued that no longer holds what it was given cannot be voided
    (api.md "Voiding a card sold or issued"): why, and what to do instead. Said before the
    PIN (the demo retrial: the PIN came first, promised "their $25.00 back" for a card
    holding $20.00, then "cannot be voided" with no advice)."""
    if operation == "activation":
        said = _(
            "{card} holds {held}, not the {value} it was sold for: it was used since, so it "
            "cannot be voided. Nothing was done. To void it, first reverse each redemption on "
            "it (F7); or, by the store's rules, pay out what it holds (F8, cash-out) or refund "
            "the customer another way."
        )
    else:
        said = _(
            "{card} holds {held}, not the {value} of the refund put on it: it was used since, "
            "so it cannot be voided. Nothing was done. To void it, first reverse each "
            "redemption on it (F7); or leave the customer the card with what it holds."
        )
    return said.format(card=card, held=held, value=value)
