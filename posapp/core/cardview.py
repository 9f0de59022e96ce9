"""What the card panel says about a gift card, in a cashier's words: the window draws this.

A card that holds money but cannot pay shows what it holds and why ("$40.00 held, expired
24 Oct 2026"), never a bare $0.00 a cashier would read as empty. A card paid out in cash
says "Cashed out", in neutral colours: nothing went wrong (`Gift.cashed_out`: right after
the cash-out, and whenever it is scanned again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from posapp.core.cash_out_law import CashOutLaw, panel_words
from posapp.core.gift import Gift
from posapp.core.glossary import CARD_KIND, CASHED_OUT, GIFT_STATUS, count, day
from posapp.core.money import format_money
from posapp.core.serial_number import mask
from posapp.i18n import _, language

Tone = Literal["ok", "warn", "bad", "muted"]


@dataclass(frozen=True, slots=True)
class CardView:
    serial: str  # masked to the last four
    amount: str  # the large figure: what the card can pay, or what it holds
    amount_tone: Tone  # "ok": it can pay it; "muted": it cannot
    badge: str  # the status in a word or two
    badge_tone: Tone
    why: str  # one line: what it holds and why it cannot pay; empty when it can
    details: str  # kind, validity, restrictions, the provider's description
    can_pay: bool  # the money buttons are on only when True
    # The cash-out law that entitles the holder to this balance in cash today, in words
    # naming its statute (core/cash_out_law.py, issue 25.3); empty where none does.
    law: str = ""


def card_view(gift: Gift, locale: str = "en_US", law: CashOutLaw | None = None) -> CardView:
    cashed_out = gift.cashed_out
    held = _held(gift, locale)
    reason = None if gift.is_redeemable else (gift.not_redeemable_reason or gift.status)
    tone: Tone
    if cashed_out:
        badge, tone, why = _(CASHED_OUT), "muted", _("Paid out in cash; the card is closed")
    elif reason is None:
        badge, tone, why = GIFT_STATUS["active"], "ok", ""
    elif reason == "depleted" or not _holds(gift):
        badge, tone = GIFT_STATUS.get(reason, _("Cannot be used")), "muted"
        # `why` starts its own line here: "Not sold yet", not "not sold yet".
        why = (
            _("Nothing left on this card")
            if reason == "depleted"
            else (gift.why_not_redeemable() or "")
            if reason == "empty"
            else capital(cannot_pay(gift, reason))
        )
    else:
        badge, tone = GIFT_STATUS.get(reason, _("Cannot be used")), "warn"
        why = _("{held} held, {why}").format(held=held, why=cannot_pay(gift, reason))
    if reason == "canceled" and not cashed_out:
        tone = "bad"
    kind = CARD_KIND.get(gift.kind, gift.kind)
    extras = [_("{kind} card").format(kind=kind)]
    if reason != "expired":  # an expired card's date is in `why`
        extras.append(
            _("valid until {day}").format(day=day(gift.expires_at))
            if gift.expires_at
            else _("no expiry")
        )
    if gift.promotional:
        extras.append(_("promotional"))
    # What the card can pay in our words, where it can ("$75.00 available"); where it cannot,
    # `why` says it. Not the provider's present_value_description: it is English whatever
    # the screen's language and formatted in the provider's locale (trial 6C: "$62.50
    # available" under "62,50 $" on a German till).
    said = _("{value} available").format(value=_held(gift, locale)) if reason is None else ""
    said = "" if cashed_out else said
    details = "\n".join(line for line in (said, " · ".join(extras)) if line)
    return CardView(
        serial=mask(gift.code),
        amount=gift.left(locale) if reason is None else held,
        amount_tone="ok" if reason is None else "muted",
        badge=badge,
        badge_tone=tone,
        why=why,
        details=details,
        can_pay=reason is None and not cashed_out,
        law=panel_words(law) if law is not None else "",
    )


def capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _holds(gift: Gift) -> bool:
    return bool(gift.item_quantity if gift.kind == "item" else gift.balance)


def _held(gift: Gift, locale: str) -> str:
    if gift.kind == "item":
        return count(gift.item_quantity or 0, gift.item_label or _("item"))
    if gift.balance is None:  # the provider did not say (Adyen, on a card it refuses)
        return "—"
    return format_money(gift.balance, gift.currency, locale)


def cannot_pay(gift: Gift, reason: str) -> str:
    """Why a card cannot pay, in a few words: "valid at another shop only"."""
    if reason == "expired" and gift.expires_at is not None:
        return _("expired {day}").format(day=day(gift.expires_at))
    if reason == "not_yet_usable":
        return _("usable from {day}").format(day=day(gift.usable_at))
    words = {
        "disabled": _("card disabled"),
        "canceled": _("card canceled"),
        "location_not_allowed": _("valid at another shop only"),
    }.get(reason)
    if words:
        return words
    said = GIFT_STATUS.get(reason, _("cannot be used"))
    return said if language() == "de" else said.lower()  # German nouns keep their capital
