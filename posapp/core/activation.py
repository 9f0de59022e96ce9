"""Selling a card (F5), in words, before any call: the amount within what the store sells a
card for, and a card already sold not sold again (issue 19.3, 19.4). Pure.

The trial: typing "25" sold a $0.25 card; a card already active was asked "Sell ••0002 for
$10.00" without a word of the $12.50 it held, and refused only after Enter.
"""

from __future__ import annotations

from posapp.core.gift import Gift
from posapp.core.keypad import AmountEntry
from posapp.core.money import MAX_AMOUNT, format_money
from posapp.core.serial_number import short
from posapp.i18n import N_, _

ANOTHER = N_("Give the customer another card and scan it, or Esc to cancel the sale.")


def amount_refusal(
    amount: int, limits: tuple[int, int] | None, currency: str, locale: str
) -> str | None:
    """Why a card is not sold for `amount` ([sale] min_amount and max_amount), or None."""
    if limits is None:
        return None
    least, most = limits

    def money(minor: int) -> str:
        return format_money(minor, currency, locale)

    if amount < least:
        return _("A card is sold for {least} or more, not {amount}").format(
            least=money(least), amount=money(amount)
        )
    if amount > most:
        return _("A card is sold for {most} at most, not {amount}").format(
            most=money(most), amount=money(amount)
        )
    return None


def sale_entry(currency: str, limits: tuple[int, int] | None, locale: str) -> AmountEntry:
    """F5's amount: a key past the most a card is sold for is refused as it is typed, as a
    key past a card's value is on Redeem (the trial's $600.00 stood in black until Enter)."""
    most = limits[1] if limits else MAX_AMOUNT
    return AmountEntry(currency, most, locale, ceiling="sale")


def sale_range(limits: tuple[int, int] | None, currency: str, locale: str) -> str:
    """What the Sell screen says up front (the trial met the range only once refused)."""
    if limits is None:
        return ""
    least, most = (format_money(m, currency, locale) for m in limits)
    return _("A card is sold for {least} to {most}").format(least=least, most=most)


def sold_already(gift: Gift, locale: str) -> str | None:
    """Why the scanned card cannot be sold, as the provider knows it now, or None when it can
    (a card the provider does not know yet; or Square's card registered but never sold)."""
    if gift.not_redeemable_reason == "not_activated":
        return None
    card = short(gift.code)  # "••0002", as the till names a card
    if gift.status == "canceled":
        why = _("Card {card} was canceled: it cannot be sold.").format(card=card)
    elif gift.kind == "item":
        why = _(
            "Card {card} is already an item gift card ({holds}): it cannot be sold again."
        ).format(card=card, holds=gift.present_value_description)
    elif gift.status == "active":
        held = format_money(gift.balance or 0, gift.currency, locale)
        why = _("Card {card} is already sold and holds {held}: it cannot be sold again.").format(
            card=card, held=held
        )
    else:
        held = format_money(gift.balance or 0, gift.currency, locale)
        why = _(
            "Card {card} was sold before ({what}; it holds {held}): it cannot be sold again."
        ).format(card=card, what=gift.present_value_description.rstrip("."), held=held)
    return f"{why} {_(ANOTHER)}"
