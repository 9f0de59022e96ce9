"""The manager's gift cards (product.md, "Screens" 4), as use cases over the provider's admin
calls (api.md): find cards by what was typed or scanned, a page at a time; create a card
from its printed code. The screen (posapp/ui/cards.py) runs these off the Tk thread.

Issue 19.14: a canceled card could not be found, nor a card by its printed code or its last
four; a cashed-out card read "Disabled"; a create with the printed code showed the
validator's own text. core/card_search.py says what to ask; this asks it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from posapp.core.card_search import Search, new_code
from posapp.core.gift import Gift, closed_by_cash_out, may_be_cashed_out
from posapp.core.glossary import count, day
from posapp.core.money import format_money
from posapp.core.serials import SerialPatterns
from posapp.i18n import N_, _
from posapp.terminal.adjustment import CardChanges
from posapp.terminal.ports import CashierError, GiftCardAdmin, ProviderError

PAGE = 20  # cards a page: the screen's list scrolls through them

# The gift cards screen where it cannot manage cards, in a manager's words.
CARDS_WITH_SQUARE = N_(
    "With Square, gift cards are managed in the Square Dashboard, under Gift cards: "
    "creating, disabling, changing and adjusting cards is not available on this till. "
    "Selling, redeeming and checking cards at the till work as usual."
)
CARDS_WITH_ADYEN = N_(
    "With Adyen, gift cards are managed in Adyen's Customer Area: "
    "creating, disabling, changing and adjusting cards is not available on this till. "
    "Selling, redeeming and checking cards at the till work as usual."
)
CARDS_WITH_NEWSTORE = N_(
    "With NewStore, gift cards are managed in NewStore and at its gift card provider: "
    "creating, disabling, changing and adjusting cards is not available on this till. "
    "Checking balances, selling cards and cash-outs (where the business allows them) work "
    "at the till; cards are spent and refunded at the NewStore checkout (the Associate App)."
)
# An API without our admin calls: where its cards are managed (the Adyen trial, 5a #3: it
# was sent to add an admin token, which Adyen has not).
CARDS_ELSEWHERE = {
    "square": CARDS_WITH_SQUARE,
    "adyen": CARDS_WITH_ADYEN,
    "newstore": CARDS_WITH_NEWSTORE,
}
CARDS_NOT_SET_UP = N_(
    "Managing gift cards is not set up on this till yet: the provider's manager access "
    "(its admin token) has to be added once by whoever set the till up (see the README, "
    "“posapp set-token --admin”). Selling, redeeming and checking cards work as usual."
)


@dataclass(frozen=True, slots=True)
class Page:
    cards: list[Gift]
    more: bool  # a full page: there may be more after it


def page(
    admin: GiftCardAdmin, search: Search, *, after: str | None = None, before: str | None = None
) -> Page:
    """A page of the cards the search finds (after or before a card's id), a cash-out's
    card read as cashed out. A QR code's token is looked up first, then its code."""
    query = dict(search.query)
    if search.token is not None:
        try:
            query = {"code": admin.validate(public_token=search.token).code}
        except ProviderError as exc:
            raise CashierError(str(exc)) from exc
        query["include_canceled"] = True
    if after is not None:
        query["after"] = after
    if before is not None:
        query["before"] = before
    try:
        found = admin.gift_cards(limit=PAGE, **query)
        cards = [_as_known(admin, gift) for gift in found]
    except ProviderError as exc:
        raise CashierError(str(exc)) from exc
    return Page(cards, len(found) == PAGE)


def _as_known(admin: GiftCardAdmin, gift: Gift) -> Gift:
    if not may_be_cashed_out(gift):
        return gift
    return closed_by_cash_out(gift, admin.transactions(gift_id=gift.id))


def create(
    admin: GiftCardAdmin,
    patterns: SerialPatterns,
    typed: str,
    balance: int,
    expires: str = "",
    *,
    reason: str = "",
    changes: CardChanges | None = None,
    currency: str = "",
) -> Gift:
    """A new card from its code as typed or scanned (the store's patterns take the code out
    of a printed one), with a balance above zero and an expiry day (YYYY-MM-DD) or none;
    CashierError in words, nothing created, when any of it cannot be. With `changes`, the
    money it gets is a manager change, journalled with its reason (issue 19.2)."""
    try:
        code = new_code(typed, patterns)
    except ValueError as exc:
        raise CashierError(str(exc)) from exc
    if balance <= 0:
        raise CashierError(_("Enter a balance above zero"))
    extra = {}
    if expires.strip():
        try:
            day_ = date.fromisoformat(expires.strip())
        except ValueError:
            said = _("“{typed}” is not a day: type it as YYYY-MM-DD, like 2027-12-31")
            raise CashierError(said.format(typed=expires.strip())) from None
        extra["expires_at"] = f"{day_.isoformat()}T23:59:59Z"
    if changes is not None:
        if not reason.strip():
            raise CashierError(
                _("Say why this card gets money: it goes in the ledger and the shift report")
            )
        made = changes.create(
            code, balance, currency, reason=reason, expires_at=extra.get("expires_at")
        )
        assert made is not None  # a card created is answered
        return made
    try:
        return admin.create_gift_card(code, balance, str(uuid.uuid4()), **extra)
    except ProviderError as exc:
        raise CashierError(str(exc)) from exc


def created_words(gift: Gift, locale: str) -> str:
    """The confirmation of a card made: which, with what, until when."""
    if gift.kind == "item":
        holds = count(gift.item_quantity or 0, gift.item_label or _("item"))
    else:
        holds = format_money(gift.balance or 0, gift.currency, locale)
    if gift.expires_at:
        said = _("Created card {card} with {holds}, valid until {day}.")
        return said.format(card=gift.code, holds=holds, day=day(gift.expires_at))
    return _("Created card {card} with {holds}.").format(card=gift.code, holds=holds)
