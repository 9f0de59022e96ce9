"""What NewStore's Gift Card Provider Webhooks do to our ledger (docs/newstore.md, the table
"NewStore operation -> our ledger"): the same operations, rules and transactions as api.md's,
answered in NewStore's shapes (posapp/newstore_wire).

Each runs inside one database transaction. A refusal of ours (a Problem, raised by the ledger
before its first write) becomes NewStore's 400 with our code and words, so that it is kept
under the idempotency key like any answer ("the same response ... whether the body has
changed or not").
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from posapp.contract import fields, requests
from posapp.core.json_value import JsonOut
from posapp.core.major_units import Units
from posapp.newstore_wire import shapes
from posapp.provider import ledger, newstore_settings
from posapp.provider.answers import Reply
from posapp.provider.ledger import Problem, code_key
from posapp.provider.new_cards import code_taken, new_card
from posapp.provider.newstore_money import to_minor, to_value
from posapp.provider.operations import Ledger
from posapp.provider.rows import GiftRow
from posapp.provider.schema import locations
from posapp.provider.tokens import Principal

# NewStore publishes one error status, 400 (docs/newstore.md "Errors").
REFUSED = 400


def refusal(problem: Problem) -> Reply:
    body = shapes.ErrorAnswer(error_code=problem.code, message=problem.detail)
    return REFUSED, body.model_dump()


def at_store(conn: Connection, who: Principal, store_id: str | None) -> Principal:
    """The caller at the location NewStore's store_id names (a location of that name in the
    key's store, made with `posapp-provider token --name`), else at the key's own."""
    if store_id is None:
        return who
    found: int | None = conn.execute(
        sa.select(locations.c.id)
        .where(locations.c.store_id == who.store_id, locations.c.name == store_id)
        .order_by(locations.c.id)
        .limit(1)
    ).scalar()
    return who if found is None else dataclasses.replace(who, location_id=found)


def _card(moves: Ledger, conn: Connection, who: Principal, number: str) -> GiftRow | None:
    sql = moves.store.sql
    params = {"store_id": who.store_id, "code_key": code_key(number)}
    return sql.gift(conn, sql.gift_by_code, params)


def not_found() -> Problem:
    return Problem("gift_not_found", "No gift card with that number in this store")


def _amount(
    moves: Ledger, conn: Connection, who: Principal, amount: shapes.Amount
) -> tuple[int, str, Units]:
    currency = moves.store.currency(conn, who.store_id)
    if amount.currency.upper() != currency:
        raise Problem(
            "validation_error",
            f"This store's cards are in {currency}, not {amount.currency.upper()}",
            [{"field": "amount.currency", "message": f"must be {currency}"}],
        )
    units = newstore_settings.value_units(conn, who.store_id)
    return to_minor(amount.value, currency, units), currency, units


def _recipient(customer: shapes.Customer | None) -> fields.Person | None:
    """NewStore's customer as the card's recipient; an email our ledger would refuse is left
    out rather than refusing the sale of the card."""
    if customer is None or not (customer.name or customer.email):
        return None
    try:
        return fields.Person(name=customer.name, email=customer.email)
    except ValidationError:
        return fields.Person(name=customer.name) if customer.name else None


def _reference(what: str, customer: shapes.Customer | None) -> str:
    who = f" for customer {customer.id}" if customer is not None and customer.id else ""
    return f"NewStore {what}{who}"[:500]


def _card_answer(status: int, body: JsonOut) -> Reply:
    """Our 201 {"transaction", "gift"} as NewStore's 200 {"identifier": {"number", "pin"}}:
    our cards have no PIN (docs/newstore.md)."""
    if status >= 400 or not isinstance(body, dict) or not isinstance(body.get("gift"), dict):
        raise AssertionError(f"a new card's answer was {status}")  # pragma: no cover
    gift = body["gift"]
    assert isinstance(gift, dict)
    number = gift["code"]
    assert isinstance(number, str)
    answer = shapes.CardAnswer(identifier=shapes.Identifier(number=number, pin=None))
    return 200, answer.model_dump()


def balance(
    moves: Ledger, conn: Connection, who: Principal, now: int, body: shapes.BalanceRequest
) -> Reply | None:
    """Return balance: what the card can pay at that store now (api.md's eligible_value: 0
    for a card expired, disabled or canceled); None for a number we do not know."""
    who = at_store(conn, who, body.metadata.store_id)
    row = _card(moves, conn, who, body.identifier.number)
    if row is None:
        return None
    if row.kind != "monetary":
        return refusal(Problem("not_redeemable", "This gift card holds items, not money"))
    currency = moves.store.currency(conn, who.store_id)
    units = newstore_settings.value_units(conn, who.store_id)
    reason = ledger.not_redeemable_reason(row, now, who.location_id)
    value = (row.balance or 0) if reason is None else 0
    answer = shapes.BalanceAnswer(value=to_value(value, currency, units), currency=currency)
    return 200, answer.model_dump()


def activate(
    moves: Ledger,
    conn: Connection,
    who: Principal,
    now: int,
    body: shapes.ActivateRequest,
    ref: str,
) -> Reply:
    """Activate: api.md's activation of the card sold, by its number."""
    try:
        who = at_store(conn, who, body.metadata.store_id)
        amount, _currency, _units = _amount(moves, conn, who, body.amount)
        activation = requests.ActivationBody.model_construct(
            code=body.card_number,
            amount=amount,
            recipient=_recipient(body.customer),
            expires_at=None,
            reference=_reference(body.metadata.original_operation, body.customer),
            client_reference=ref,
        )
        return _card_answer(*moves.activate(conn, who, now, activation))
    except Problem as problem:
        return refusal(problem)


def issue(
    moves: Ledger, conn: Connection, who: Principal, now: int, body: shapes.IssueRequest, ref: str
) -> Reply:
    """Issue: a new card, its number ours. original_operation "refund" is api.md's issue (a
    refund to a card); "activation" is a card sold without a plastic one, so our ledger says
    activation, as for a card sold at the counter (docs/newstore.md)."""
    try:
        who = at_store(conn, who, body.metadata.store_id)
        amount, _currency, _units = _amount(moves, conn, who, body.amount)
        reference = _reference(f"issue ({body.metadata.original_operation})", body.customer)
        recipient = _recipient(body.customer)
        if body.metadata.original_operation == "refund":
            made = requests.IssueBody.model_construct(
                amount=amount, recipient=recipient, reference=reference, client_reference=ref
            )
            return _card_answer(*moves.issue(conn, who, now, made))
        moves.refuse_canceled(conn, who, ref)
        ledger.check_amount(amount)
        code = ledger.new_issue_code()
        while code_taken(conn, who.store_id, code):  # pragma: no cover - a trillion codes
            code = ledger.new_issue_code()
        sold = new_card(
            moves, conn, who, now, "activation", code, amount,
            recipient=recipient, reference=reference, client_reference=ref,
        )  # fmt: skip
        return _card_answer(*sold)
    except Problem as problem:
        return refusal(problem)


# The refusal kept under its key (NewStore's rule: the same answer whatever follows), so it
# says how to allow cash-outs and that NewStore's retry needs a new key (docs/newstore.md).
CASH_OUT_OFF = (
    "This store does not pay gift cards out in cash: its manager allows it with "
    "`posapp-provider cash-out --store-id STORE_ID --allow`; then deactivate again with a new "
    "idempotence_key (this one keeps this answer)"
)


def deactivate(
    moves: Ledger,
    conn: Connection,
    who: Principal,
    now: int,
    body: shapes.DeactivateRequest,
    ref: str | None,
) -> Reply:
    """Deactivate: all the balance left invalidated. Our cards leave the ledger only as money
    paid out, so this is api.md's cash-out (the card disabled, a gift_card_cash_out of its
    whole balance), where the store allows cash-outs; else refused (cash_out_disabled)."""
    try:
        who = at_store(conn, who, body.store_id)
        row = _card(moves, conn, who, body.card_number)
        if row is None:
            raise not_found()
        if (
            row.kind == "monetary"
            and ledger.not_redeemable_reason(row, now, who.location_id) == "depleted"
        ):
            # Decided (docs/newstore.md): a card at $0 is deactivated as asked, nothing paid
            # and no transaction, whatever the cash-out setting: there is no cash to pay.
            moves.move(conn, who, now, moves.gift(conn, who, row.id, lock=True), enable=False)
            currency = moves.store.currency(conn, who.store_id)
            units = newstore_settings.value_units(conn, who.store_id)
            empty = shapes.DeactivateAnswer(
                identifier=shapes.Identifier(number=row.code, pin=None),
                value=to_value(0, currency, units),
                currency=currency,
            )
            return 200, empty.model_dump()
        paid = requests.CashOutBody.model_construct(
            reference=_reference("deactivate", None), client_reference=ref
        )
        status, answer = moves.cash_out(conn, who, now, row.id, paid)
        assert status == 201
        assert isinstance(answer, dict)
        txn = answer["transaction"]
        assert isinstance(txn, dict)
        assert isinstance(txn["amount"], int)
        currency = moves.store.currency(conn, who.store_id)
        units = newstore_settings.value_units(conn, who.store_id)
        done = shapes.DeactivateAnswer(
            identifier=shapes.Identifier(number=row.code, pin=None),
            value=to_value(txn["amount"], currency, units),
            currency=currency,
        )
        return 200, done.model_dump()
    except Problem as problem:
        if problem.code == "cash_out_disabled":  # said with what to do (the trial's 3)
            problem = Problem("cash_out_disabled", CASH_OUT_OFF)
        return refusal(problem)
