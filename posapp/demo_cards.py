"""The demo's cards as their provider holds them now, in a few words: the console's list at
start and the scanner simulator's buttons (posapp/demo.py). Read in-process from the
reference provider's store, the fake Square or the fake Adyen."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from posapp.core.cardview import card_view
from posapp.core.gift import Gift
from posapp.core.serial_number import short
from posapp.i18n import _


def gift_now(source: Any, code: str) -> Gift | None:
    """A demo card as its provider holds it now, read in-process (no HTTP: a blank card's
    look-up would count against the terminal's token as a miss); None: it does not know it.
    `source` is a DemoWorld (or a test's provider): its `store`, its `fake` (Square) or its
    `adyen`, or its `newstore`."""
    if getattr(source, "newstore", None) is not None:
        return newstore_gift(source.newstore.card(code), source.newstore.currency)
    if source.adyen is not None:
        return adyen_gift(source.adyen.card(code), source.adyen.currency)
    if source.fake is not None:
        from posapp.adapters.square_shapes import GiftCard
        from posapp.adapters.square_shapes import to_gift as square_gift

        # A copy of the values: the fake's server thread may add a card meanwhile.
        card = next((c for c in list(source.fake.cards.values()) if c["gan"] == code), None)
        return None if card is None else square_gift(GiftCard.model_validate(card))
    from posapp.adapters.api_client import to_gift, to_transaction
    from posapp.contract import answers, requests
    from posapp.core.gift import closed_by_cash_out, may_be_cashed_out
    from posapp.provider.answers import dumps
    from posapp.provider.ledger import now_us
    from posapp.provider.operations import Ledger
    from posapp.provider.tokens import Principal

    made = source.made
    who = Principal(0, int(made["store_id"]), int(made["location_id"]), "demo", frozenset())
    ledger = Ledger(source.store)
    with source.store.read() as conn:
        found = ledger.validate(conn, who, now_us(), code, None)
        if found is None:
            return None
        gift = to_gift(answers.GiftAnswer.model_validate_json(dumps(found)).gift)
        if not may_be_cashed_out(gift):
            return gift
        # Read as the till reads it: "Cashed out", not the provider's "disabled" (the demo
        # trial, 10: the console and the simulator said "Disabled", the till "CASHED OUT").
        query = requests.TransactionQuery(gift_id=gift.id, limit=100)
        moves = ledger.list_transactions(conn, who, query)
    return closed_by_cash_out(
        gift, [to_transaction(answers.Transaction.model_validate_json(dumps(t))) for t in moves]
    )


def adyen_gift(card: dict[str, object] | None, currency: str) -> Gift | None:
    """A card of the fake Adyen as the Adyen adapter reads one (adapters/adyen_shapes.card):
    active with its balance, not sold yet, or closed; a blocked one reads as disabled."""
    from posapp.adapters.adyen_shapes import card as adyen_card

    if card is None:
        return None
    number, balance = str(card["number"]), card["balance"]
    assert isinstance(balance, int)
    if card["status"] == "active":
        return adyen_card(number, currency, balance)
    if card["status"] == "inactive" and not card["deactivated"]:
        return adyen_card(number, currency, balance, state="not_sold")
    closed = replace(adyen_card(number, currency, balance, state="closed"), cashed_out=False)
    if card["status"] == "blocked":  # as the fake Square's demo says its BLOCKED card
        return replace(closed, status="disabled", not_redeemable_reason="blocked")
    return closed


def newstore_gift(card: dict[str, object] | None, currency: str) -> Gift | None:
    """A card of the fake NewStore as the NewStore adapter reads one: active with its
    balance; a card not sold yet is one NewStore does not know (None); a deactivated one
    holds nothing."""
    from posapp.adapters.adyen_shapes import card as read

    if card is None or card["status"] == "inactive":
        return None
    balance = card["balance"]
    assert isinstance(balance, int)
    if card["status"] == "deactivated":
        return replace(read(str(card["number"]), currency, 0, state="closed"), cashed_out=False)
    return read(str(card["number"]), currency, balance)


def holds(gift: Gift | None) -> str:
    """What a card holds now, in a few words: "$75.00", "Used up", "Expired ($40.00)"."""
    if gift is None:
        return _("blank, to sell (F5)")
    view = card_view(gift)
    if view.can_pay:
        return view.amount
    if gift.not_redeemable_reason == "depleted" or not (gift.balance or gift.item_quantity):
        return view.badge
    return f"{view.badge} ({view.amount})"


def cards_now(source: Any) -> list[tuple[str, str, str]]:
    """Every demo card (the blank ones last): the text its scan sends, its last four, and
    what it holds now."""
    made = source.made
    return [
        (card["scan"], short(card["code"]), holds(gift_now(source, card["code"])) + _pin(card))
        for card in made["cards"] + made["blank_cards"]
    ]


def _pin(card: dict[str, str]) -> str:
    """A demo card that needs its PIN shows it, for the cashier to type when the till asks."""
    return ", " + _("PIN {pin}").format(pin=card["pin"]) if "pin" in card else ""
