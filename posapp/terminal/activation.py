"""A card scanned to sell, looked up before the confirm (issue 19.4): the provider's word on
it, in the cashier's words. Runs on the window's worker, as every call does."""

from __future__ import annotations

from posapp.core.activation import sold_already
from posapp.core.serials import CardRef
from posapp.i18n import _
from posapp.terminal.ports import CashierError, Declined, GiftProvider, ProviderError


def sale_refusal(provider: GiftProvider, ref: CardRef, *, locale: str) -> str | None:
    """None when the card can be sold (the provider does not know it, or knows it as not
    sold yet); else why not. CashierError when the provider cannot be asked: the sale waits
    (it would fail the same way)."""
    try:
        # A card is sold by its code (api.md), with the PIN its scan carried, if any.
        gift = provider.validate(code=ref.value, pin=ref.pin)
    except Declined as exc:
        if exc.code == "gift_not_found":
            return None
        raise CashierError(_("The card cannot be checked: {why}").format(why=exc)) from exc
    except ProviderError as exc:
        raise CashierError(_("The card cannot be checked: {why}").format(why=exc)) from exc
    return sold_already(gift, locale)
