"""The fake's Stored Value API v46: /checkBalance, /changeStatus (active with an amount sells
a card; inactive closes it for good), /issue (a new virtual card, active), /load and
/voidTransaction (undoes an issue, activation, deactivation or load, once).

What Adyen does not do for a brand (core/card_brands.py: an issue, a deactivation, a void of
a sale or of an issue) is refused as "Transaction Not Permitted".
A refusal is 200 with resultCode "Refused" (or "NotEnoughBalance"), Adyen's refusalReason
words and, for a card that is not usable, the card provider's own words in
thirdPartyRefusalReason (a card not sold yet, deactivated or blocked). Only reading a card asks
for its PIN (`securityCode`); adding value does not.
"""

from __future__ import annotations

from posapp.adyen_fake.cards import Book, Card, Offer
from posapp.adyen_fake.wire import parsed
from posapp.adyen_wire import refusals
from posapp.adyen_wire import stored_value as sv
from posapp.adyen_wire.base import Amount, JsonObject
from posapp.adyen_wire.refusals import Refusal

Answer = tuple[int, JsonObject]


def _refused(refusal: Refusal, card: Card | None = None) -> JsonObject:
    result = "NotEnoughBalance" if refusal == refusals.NOT_ENOUGH_BALANCE else "Refused"
    return {
        "resultCode": result,
        "refusalReason": refusal.reason,
        **({"thirdPartyRefusalReason": words} if card and (words := card.provider_words()) else {}),
    }


def _money(book: Book, value: int) -> Amount:
    return Amount(currency=book.currency, value=value)


def check_balance(book: Book, body: object, _path: dict[str, str]) -> Answer:
    asked = parsed(sv.StoredValueBalanceCheckRequest, body)
    book.check_merchant(asked.merchantAccount)
    method = asked.paymentMethod
    refusal = book.refusal(method.number, method.type, method.securityCode)
    card = book.card_of(method.number)
    if refusal is not None:
        return 200, sv.StoredValueBalanceCheckResponse.model_validate(
            _refused(refusal, card)
        ).wire()
    assert card is not None
    enough = asked.amount is None or card.balance >= asked.amount.value
    return 200, sv.StoredValueBalanceCheckResponse(
        resultCode="Success" if enough else "NotEnoughBalance",
        pspReference=book.record_read(),
        currentBalance=_money(book, card.balance),
    ).wire()


def change_status(book: Book, body: object, _path: dict[str, str]) -> Answer:
    asked = parsed(sv.StoredValueStatusChangeRequest, body)
    book.check_merchant(asked.merchantAccount)
    method = asked.paymentMethod
    card = book.card_of(method.number)
    value = asked.amount.value if asked.amount else 0
    refusal: Refusal | None = None
    if card is None or card.brand != method.type:
        refusal = refusals.INVALID_CARD_NUMBER
    elif asked.amount is not None and (wrong := book.check_currency(asked.amount)):
        refusal = wrong
    elif card.status == "blocked":
        refusal = refusals.BLOCKED_CARD
    elif asked.status == "active" and (card.status != "inactive" or card.deactivated):
        refusal = refusals.TRANSACTION_NOT_PERMITTED  # sold before, or closed for good
    elif asked.status == "inactive" and card.status != "active":
        refusal = refusals.TRANSACTION_NOT_PERMITTED
    elif asked.status == "inactive":
        refusal = book.not_offered(card.brand, "deactivate")
    elif value < 0:
        refusal = refusals.INVALID_AMOUNT
    if refusal:
        return 200, sv.StoredValueStatusChangeResponse.model_validate(
            _refused(refusal, card)
        ).wire()
    assert card is not None
    if asked.status == "active":
        card.status, card.balance = "active", card.balance + value
        psp = book.record("activate", card, value, asked.reference)
    else:
        card.status, card.deactivated = "inactive", True
        psp = book.record("deactivate", card, card.balance, asked.reference)
    return 200, sv.StoredValueStatusChangeResponse(
        resultCode="Success",
        pspReference=psp,
        currentBalance=_money(book, card.balance),
        authCode=psp[-6:],
    ).wire()


def issue(book: Book, body: object, _path: dict[str, str]) -> Answer:
    asked = parsed(sv.StoredValueIssueRequest, body)
    book.check_merchant(asked.merchantAccount)
    refusal = book.not_offered(asked.paymentMethod.type, "issue")
    if refusal is None and asked.amount is not None:
        refusal = book.check_currency(asked.amount)
    if refusal is not None:
        return 200, sv.StoredValueIssueResponse.model_validate(_refused(refusal)).wire()
    value = asked.amount.value if asked.amount else 0
    card = book.add_card(book.new_number(), value, brand=asked.paymentMethod.type)
    psp = book.record("issue", card, value, asked.reference)
    return 200, sv.StoredValueIssueResponse(
        resultCode="Success",
        pspReference=psp,
        currentBalance=_money(book, card.balance),
        authCode=psp[-6:],
        paymentMethod={"type": card.brand, "number": card.number},
    ).wire()


def load(book: Book, body: object, _path: dict[str, str]) -> Answer:
    asked = parsed(sv.StoredValueLoadRequest, body)
    book.check_merchant(asked.merchantAccount)
    method = asked.paymentMethod
    card = book.card_of(method.number)
    refusal = book.check_currency(asked.amount) or book.refusal(
        method.number, method.type, None, reading=False
    )
    if refusal is None and asked.amount.value <= 0:
        refusal = refusals.INVALID_AMOUNT
    if refusal is not None:
        return 200, sv.StoredValueLoadResponse.model_validate(_refused(refusal, card)).wire()
    assert card is not None
    card.balance += asked.amount.value
    psp = book.record("load", card, asked.amount.value, asked.reference)
    return 200, sv.StoredValueLoadResponse(
        resultCode="Success",
        pspReference=psp,
        currentBalance=_money(book, card.balance),
        authCode=psp[-6:],
    ).wire()


def void(book: Book, body: object, _path: dict[str, str]) -> Answer:
    """Undo one Stored Value transaction by its pspReference (`originalReference`), once; one
    that put value on a card is undone only while the card still holds that value."""
    asked = parsed(sv.StoredValueVoidRequest, body)
    book.check_merchant(asked.merchantAccount)
    done = book.movements.get(asked.originalReference)
    card = book.cards.get(done.number) if done else None
    if done is None or card is None or done.voided:
        return 200, sv.StoredValueVoidResponse.model_validate(
            _refused(refusals.TRANSACTION_NOT_PERMITTED)
        ).wire()
    # What Adyen voids depends on the brand: a sale for some, an issue for others.
    offer: Offer | None = None
    if done.kind in ("activate", "issue"):
        offer = "void_sale" if done.kind == "activate" else "void_issue"
    if offer is not None and (refusal := book.not_offered(card.brand, offer)):
        return 200, sv.StoredValueVoidResponse.model_validate(_refused(refusal)).wire()
    if done.kind in ("issue", "activate", "load") and card.balance < done.amount:
        return 200, sv.StoredValueVoidResponse.model_validate(
            _refused(refusals.NOT_ENOUGH_BALANCE)
        ).wire()
    if done.kind == "deactivate":
        card.status, card.deactivated = "active", False
    else:
        card.balance -= done.amount
        if done.kind in ("issue", "activate"):
            # The card goes back to what it was: an issued card closed, a sold one unsold.
            card.status, card.deactivated = "inactive", done.kind == "issue"
    done.voided = True
    psp = book.record_read()
    return 200, sv.StoredValueVoidResponse(
        resultCode="Success", pspReference=psp, currentBalance=_money(book, card.balance)
    ).wire()
