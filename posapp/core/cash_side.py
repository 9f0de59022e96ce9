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
