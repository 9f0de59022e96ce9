"""The fake's Checkout API: a gift card spent (/payments), its balance
(/paymentMethods/balance), and a payment undone (/payments/{psp}/reversals, /refunds, /cancels,
and /cancels by merchant reference).

Kept of Adyen: a refusal is 200 with resultCode "Refused" and Adyen's refusalReason words
(adyen_wire/refusals.py); /payments knows no "NotEnoughBalance" resultCode (the schema's enum
has none), so a card short of the amount is "Refused", "Not enough balance", and no partial
payment is made (the till asks for the amount the card can pay). Modifications answer 201
"received". Gift card payments are captured at once, so a cancel of one that took money gives
the money back as a reversal does. A cancel by merchant reference for a payment the fake has
not seen is remembered, and a payment coming later with that reference is not made
(resultCode "Cancelled"): the till cancels what it cannot know reached Adyen.
"""

from __future__ import annotations

from posapp.adyen_fake.cards import Book, Payment
from posapp.adyen_fake.wire import AdyenError, parsed, psp_reference
from posapp.adyen_wire import checkout as co
from posapp.adyen_wire import refusals
from posapp.adyen_wire.base import Amount, JsonObject

Answer = tuple[int, JsonObject]


def pay(book: Book, body: object, _path: dict[str, str]) -> Answer:
    asked = parsed(co.PaymentRequest, body)
    book.check_merchant(asked.merchantAccount)
    if asked.amount.value <= 0:
        raise AdyenError(422, "137", "Invalid amount specified")
    card = asked.paymentMethod
    psp = psp_reference()
    refusal = book.check_currency(asked.amount) or book.refusal(card.number, card.brand, card.cvc)
    found = book.card_of(card.number)
    if refusal is None and found is not None and asked.amount.value > found.balance:
        refusal = refusals.NOT_ENOUGH_BALANCE
    payment = Payment(
        asked.reference,
        psp,
        card.number,
        card.brand,
        asked.amount.value,
        asked.amount.currency,
        "authorised",
    )
    answer = co.PaymentResponse(
        resultCode="Authorised",
        pspReference=psp,
        merchantReference=asked.reference,
        amount=asked.amount,
        paymentMethod=co.ResponsePaymentMethod(brand=card.brand, type="giftcard"),
    )
    if asked.reference in book.cancelled_references:
        payment.status = "cancelled"
        answer = co.PaymentResponse(
            resultCode="Cancelled", pspReference=psp, merchantReference=asked.reference
        )
    elif refusal is not None:
        payment.status, payment.refusalReason = "refused", refusal.reason
        answer = co.PaymentResponse(
            resultCode="Refused",
            pspReference=psp,
            merchantReference=asked.reference,
            refusalReason=refusal.reason,
            refusalReasonCode=refusal.code,
        )
    else:
        assert found is not None
        found.balance -= asked.amount.value
    book.payments[asked.reference] = payment
    book.by_psp[psp] = payment
    return 200, answer.wire()


def balance(book: Book, body: object, _path: dict[str, str]) -> Answer:
    asked = parsed(co.BalanceCheckRequest, body)
    book.check_merchant(asked.merchantAccount)
    card = asked.paymentMethod
    refusal = book.check_currency(asked.amount) or book.refusal(card.number, card.brand, card.cvc)
    psp = psp_reference()
    if refusal is not None:
        answer = co.BalanceCheckResponse(
            resultCode="Failed",
            balance=Amount(currency=book.currency, value=0),
            pspReference=psp,
            refusalReason=refusal.reason,
        )
        return 200, answer.wire()
    held = book.cards[card.number].balance
    enough = held >= asked.amount.value
    return 200, co.BalanceCheckResponse(
        resultCode="Success" if enough else "NotEnoughBalance",
        balance=Amount(currency=book.currency, value=held),
        pspReference=psp,
    ).wire()


def _payment(book: Book, psp: str) -> Payment:
    payment = book.by_psp.get(psp)
    if payment is None:
        raise AdyenError(422, "167", "Original pspReference required for this operation")
    return payment


def _give_back(book: Book, payment: Payment, amount: int) -> None:
    card = book.cards.get(payment.number)
    if card is not None:
        card.balance += amount


def reverse(book: Book, body: object, path: dict[str, str]) -> Answer:
    return _undo(book, body, path["psp"], cancel=False)


def cancel(book: Book, body: object, path: dict[str, str]) -> Answer:
    return _undo(book, body, path["psp"], cancel=True)


def _undo(book: Book, body: object, psp_of_payment: str, *, cancel: bool) -> Answer:
    """A reversal (or cancel) of a captured gift card payment gives back what it took, once;
    Adyen answers "received" whatever the outcome, which it reports later by webhook."""
    asked: co.PaymentCancelRequest | co.PaymentReversalRequest = (
        parsed(co.PaymentCancelRequest, body) if cancel else parsed(co.PaymentReversalRequest, body)
    )
    book.check_merchant(asked.merchantAccount)
    payment = _payment(book, psp_of_payment)
    if payment.status == "authorised":
        _give_back(book, payment, payment.amount - payment.refunded)
        payment.status = "reversed"
    psp = psp_reference()
    payment.modifications.append({"kind": "cancel" if cancel else "reversal", "psp": psp})
    answer_model = co.PaymentCancelResponse if cancel else co.PaymentReversalResponse
    answer = answer_model(
        merchantAccount=asked.merchantAccount,
        pspReference=psp,
        paymentPspReference=payment.pspReference,
        reference=asked.reference,
    )
    return 201, answer.wire()


def refund(book: Book, body: object, path: dict[str, str]) -> Answer:
    asked = parsed(co.PaymentRefundRequest, body)
    book.check_merchant(asked.merchantAccount)
    payment = _payment(book, path["psp"])
    value = asked.amount.value
    if payment.status != "authorised" or asked.amount.currency != payment.currency:
        raise AdyenError(422, "137", "Invalid amount specified")
    if value <= 0 or payment.refunded + value > payment.amount:
        raise AdyenError(422, "137", "Invalid amount specified")
    _give_back(book, payment, value)
    payment.refunded += value
    if payment.refunded == payment.amount:
        payment.status = "refunded"
    psp = psp_reference()
    payment.modifications.append({"kind": "refund", "psp": psp, "amount": value})
    answer = co.PaymentRefundResponse(
        merchantAccount=asked.merchantAccount,
        pspReference=psp,
        paymentPspReference=payment.pspReference,
        amount=asked.amount,
        reference=asked.reference,
        store=asked.store,
    )
    return 201, answer.wire()


def cancel_by_reference(book: Book, body: object, _path: dict[str, str]) -> Answer:
    asked = parsed(co.StandalonePaymentCancelRequest, body)
    book.check_merchant(asked.merchantAccount)
    payment = book.payments.get(asked.paymentReference)
    if payment is None:
        book.cancelled_references.add(asked.paymentReference)
    elif payment.status == "authorised":
        _give_back(book, payment, payment.amount - payment.refunded)
        payment.status = "reversed"
    psp = psp_reference()
    if payment is not None:
        payment.modifications.append({"kind": "cancel by reference", "psp": psp})
    answer = co.StandalonePaymentCancelResponse(
        merchantAccount=asked.merchantAccount,
        pspReference=psp,
        paymentReference=asked.paymentReference,
        reference=asked.reference,
    )
    return 201, answer.wire()
