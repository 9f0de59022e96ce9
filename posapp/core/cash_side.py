"""What undoing a transaction does on the cash side, in a cashier's words: said on the PIN
overlay before it is done, and with the result after (the second trial, demo #7: void and
reversal words never said what to give the customer or take back). Pure."""

from __future__ import annotations


def before_undo(operation: str, moved: str, *, items: bool = False) -> str:
    """What the void or reversal of `operation` (which moved `moved`) will do."""
    if operation == "redemption" and items:
        return f"The card gets its {moved} back: the customer gives the item back, or pays for it."
    if operation == "redemption":
        return (
            f"The card gets its {moved} back: the customer then pays for the goods another "
            "way, or gives them back."
        )
    if operation == "cash_out":
        return f"The card gets its {moved} back: the customer hands back the {moved} cash."
    if operation == "activation":
        return (
            f"The card's {moved} is taken off and the card closed: the customer gets their "
            f"{moved} back, the way they paid."
        )
    if operation == "issue":
        return (
            f"The customer's refund card loses its {moved} and is closed: their refund is "
            "gone unless they get it another way."
        )
    return ""


def after_undo(operation: str, moved: str, *, items: bool = False) -> str:
    """What the cashier does now that it is done."""
    if operation == "redemption" and items:
        return "Take the item back, or have it paid another way."
    if operation == "redemption":
        return f"Take {moved} from the customer another way, or take the goods back."
    if operation == "cash_out":
        return f"Take the {moved} cash back from the customer."
    if operation == "activation":
        return f"Give the customer back {moved}, the way they paid, and keep the card."
    if operation == "issue":
        return "Take the refund slip back: the card on it is closed."
    return ""


def spent_since(operation: str, card: str, held: str, value: str) -> str:
    """A card sold or issued that no longer holds what it was given cannot be voided
    (api.md "Voiding a card sold or issued"): why, and what to do instead. Said before the
    PIN (the demo retrial: the PIN came first, promised "their $25.00 back" for a card
    holding $20.00, then "cannot be voided" with no advice)."""
    given = "it was sold for" if operation == "activation" else "of the refund put on it"
    if operation == "activation":
        instead = (
            "or, by the store's rules, pay out what it holds (F8, cash-out) or refund the "
            "customer another way."
        )
    else:
        instead = "or leave the customer the card with what it holds."
    return (
        f"{card} holds {held}, not the {value} {given}: it was used since, so it cannot be "
        f"voided. Nothing was done. To void it, first reverse each redemption on it (F7); "
        f"{instead}"
    )
