"""The words of a reversal or a void the cashier confirms (core/actions.py), one message per
sentence shape so each language orders it its own way (posapp/i18n.py). Pure."""

from __future__ import annotations

from posapp.i18n import _, language


def void_words(operation: str, card: str, amount: str, at: str | None) -> str:
    """ "Void the card sold ••0001 ($25.00, 14:02) and close it". Short: the words are the
    confirm's OK button too, which must fit 1024 px."""
    if operation == "activation":
        if at:
            return _("Void the card sold {card} ({amount}, {at}) and close it").format(
                card=card, amount=amount, at=at
            )
        return _("Void the card sold {card} ({amount}) and close it").format(
            card=card, amount=amount
        )
    if at:
        return _("Void the refund card {card} ({amount}, {at}) and close it").format(
            card=card, amount=amount, at=at
        )
    return _("Void the refund card {card} ({amount}) and close it").format(card=card, amount=amount)


def reverse_words(what: str, amount: str, card: str, at: str | None, earlier: str | None) -> str:
    """ "Reverse the redemption of $5.00 on ••0001 made at 14:02" (`what`: the glossary's
    transaction; `earlier`: the day of an earlier shift's)."""
    what = what if language() == "de" else what.lower()  # German nouns keep their capital
    said = {"what": what, "amount": amount, "card": card, "at": at, "earlier": earlier}
    if earlier and at:
        return _("Reverse the {what} of {amount} on {card} made {earlier} at {at}").format(**said)
    if earlier:
        return _("Reverse the {what} of {amount} on {card} made {earlier}").format(**said)
    if at:
        return _("Reverse the {what} of {amount} on {card} made at {at}").format(**said)
    return _("Reverse the {what} of {amount} on {card}").format(**said)
