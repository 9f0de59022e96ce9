"""A card that cannot pay, in the cashier's words: what to tell the customer, and why a greyed
money key is off. Pure.

The demo trial (8): an expired, not yet usable, disabled, canceled or other shop's card showed
the amount it holds and a reason, but not what to tell the customer; its greyed Redeem, Use
all and Cash out gave no reason (an item card's say "money cards only"); and F4 on an expired
card turned the line green, "$40.00 held; balance slip printed", which read as "fine".
"""

from __future__ import annotations

from posapp.core.cardview import Tone, cannot_pay
from posapp.core.gift import NOT_SOLD_YET, Gift
from posapp.core.glossary import CASHED_OUT, GIFT_STATUS, day
from posapp.i18n import N_, _


def reason(gift: Gift) -> str | None:
    """Why the card cannot pay (the provider's reason), or None when it can."""
    if gift.is_redeemable:
        return None
    return gift.not_redeemable_reason or gift.status


def tell_customer(gift: Gift) -> str:
    """What the cashier says to the customer about a card that cannot pay ("" when it can,
    or when what the panel says already is all there is: a card paid out in cash)."""
    why = reason(gift)
    if why is None or gift.cashed_out:
        return ""
    if why == "expired":
        return _(
            "Tell the customer the card has expired; a manager can change that (F12, Gift cards)"
        )
    if why == "not_yet_usable":
        said = _("Tell the customer the card can be used from {day}")
        return said.format(day=day(gift.usable_at))
    if why == "disabled":
        return _(
            "Tell the customer the card is on hold; a manager can change that (F12, Gift cards)"
        )
    if why == "canceled":
        return _(
            "Tell the customer the card was canceled and cannot be used; a manager can say why"
        )
    if why == "location_not_allowed":
        return _("Tell the customer the card is for another shop: it is used there")
    if why == "depleted":
        return _("Tell the customer nothing is left on the card")
    if why == "empty":  # used up or disabled: the provider does not say which
        return _("Tell the customer there is nothing to spend on this card here")
    if why == "not_activated":
        return _(NOT_SOLD_YET)
    return _("Ask a manager about this card (F12, Gift cards)")


def on_panel(why: str, gift: Gift) -> tuple[str, ...]:
    """The panel's words on a card that cannot pay: why (posapp.core.cardview's), then what
    to tell the customer, each once: where the one says the other, the other only (the Adyen
    trial, 5a #9: "Nothing left on this card. Tell the customer nothing is left on the
    card."; "Not sold yet. This card is not sold yet: F5 sells it.")."""
    tell = tell_customer(gift)
    if reason(gift) in ("depleted", "not_activated") and not gift.cashed_out:
        return (tell,)
    return (why, tell)


def greyed(gift: Gift) -> str:
    """Why the money keys are off, in a word or two: "expired", "another shop's card"."""
    if gift.cashed_out:
        return _(CASHED_OUT).lower()
    why = reason(gift)
    if why is None:
        return ""
    return _(GIFT_STATUS.get(why, N_("cannot be used"))).lower()


def balance_words(words: str, card: Gift) -> tuple[str, Tone]:
    """F4's words (`words`: what the slip says) and their tone: on a card that cannot pay,
    amber, with why and what to tell the customer; as they are, in green, on one that can."""
    why = reason(card)
    if why is None:
        return words, "ok"
    if card.cashed_out:
        return _("{words} It was paid out in cash; the card is closed.").format(words=words), "warn"
    said = _("{words} It cannot pay: {why}. {tell}.")
    return said.format(words=words, why=cannot_pay(card, why), tell=tell_customer(card)), "warn"


def label(action: str, card: Gift | None) -> str | None:
    """A greyed money key's words on a card that cannot pay ("Redeem: expired"), as an item
    card's say "money cards only"; None when the card can pay (or there is none)."""
    if card is None or card.is_redeemable:
        return None
    return _("{action}: {why}").format(action=action, why=greyed(card))
