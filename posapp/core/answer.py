"""Whether a provider's answer to a money movement adds up, before it is believed (issue 18).

A 2xx answer is the provider's word that money moved, and the receipt prints what it says.
An answer naming another card, another amount than asked, an amount below zero, a balance
that went up after a redemption, another type or currency, or other items than asked is not
printed as fact: the movement stays unknown, the answer is kept for the manager, and the
settler asks the provider again by the till's reference. This module says what does not
add up, in words; it knows no provider: each adapter's answer arrives as a Movement.

The rules (the intent is what the till asked; `before` the card as the till saw it):
- card: the transaction and the card answered are the intent's (a card sold: its code);
- type and currency: the operation's type (a cash-out may be a redemption where the
  provider has no cash-out call, an issue an activation where it makes cards by
  activating them) in the till's currency;
- amount: exactly what was asked, or up to it where "take what is there" was asked; a
  cash-out exactly the balance the till showed and the cashier confirmed;
- quantity: exactly the items asked;
- sign: nothing moved below or at zero, no balance left below zero;
- direction: a redemption or cash-out leaves the card with no more than before less what
  it took, a reversal with no more than before plus what it put back; a cash-out leaves
  nothing, and a void too; a card sold or issued holds what it was sold for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from posapp.core.entry import Entry
from posapp.core.gift import Gift, Movement
from posapp.core.glossary import RECEIPT_OF, transaction
from posapp.core.intent import Intent
from posapp.core.json_value import JsonValue
from posapp.core.money import format_money
from posapp.core.serial_number import mask, short
from posapp.core.settling import DO_NOT
from posapp.i18n import _

# The provider's transaction types an operation may come back as.
TYPES = {
    "redemption": {"redemption"},
    "cash_out": {"gift_card_cash_out", "redemption"},  # config.md cash_out = "redeem"
    "reversal": {"reversal"},
    "activation": {"activation"},
    "issue": {"issue", "activation"},  # Square activates the card it made
    "void": {"reversal"},  # api.md: the reversal of the activation or issue
}
TAKES = frozenset({"redemption", "cash_out"})
MAKES = frozenset({"activation", "issue"})


def doubts(
    intent: Intent,
    movement: Movement,
    *,
    currency: str,
    before: Gift | None = None,
    locale: str = "en_US",
) -> tuple[str, ...]:
    """What in the answer does not add up, each in a few plain words ("it names another
    card"); empty when it all does."""
    txn, gift = movement.transaction, movement.gift
    op = intent.operation

    def money(minor: int) -> str:
        return format_money(minor, currency, locale)

    found: list[str] = []
    mine, theirs = intent.client_reference, txn.client_reference
    if mine is not None and theirs is not None and theirs != mine:
        found.append(_("it answers another till's request"))
    if not _same_card(intent, movement):
        found.append(_("it names another card"))
    if txn.type not in TYPES[op]:
        found.append(
            _("it says it was {said}, not {asked}").format(said=_a(txn.type), asked=_a(op))
        )
    if txn.currency != currency or gift.currency != currency:
        other = txn.currency if txn.currency != currency else gift.currency
        found.append(_("it is in {other}, not {currency}").format(other=other, currency=currency))
    if intent.quantity is not None:
        if txn.quantity is None or txn.quantity <= 0:
            found.append(_("it does not say a number of items above zero"))
        elif txn.quantity != intent.quantity:
            found.append(
                _("it says {said} items, not the {asked} asked").format(
                    said=txn.quantity, asked=intent.quantity
                )
            )
    elif intent.amount is not None:
        found += _amount(intent, txn.amount, money)
    after = txn.balance_after
    if after is not None and after < 0:
        found.append(_("it leaves a balance below zero"))
    elif after is not None and txn.amount is not None and txn.amount > 0:
        found += _direction(op, after, txn.amount, before, money)
    return tuple(found)


def _a(kind: str) -> str:
    """A transaction type in a sentence: "a redemption", "a balance adjustment"."""
    known = RECEIPT_OF.get(kind)
    if known:
        return _(known)
    return _("a {transaction}").format(transaction=transaction(kind).lower())


def _same_card(intent: Intent, movement: Movement) -> bool:
    txn, gift = movement.transaction, movement.gift
    if txn.gift_id != gift.id:
        return False  # the transaction and the card answered are not one card
    if intent.operation == "activation":
        return (intent.code or "").casefold() == gift.code.casefold()
    if intent.gift_id is not None and gift.id != intent.gift_id:
        return False
    if intent.operation in ("reversal", "void"):
        undone = movement.reversed
        if undone is not None and undone.id != intent.transaction_id:
            return False
        return txn.reverses is None or txn.reverses == intent.transaction_id
    return True


def _amount(intent: Intent, said: int | None, fmt: Callable[[int], str]) -> list[str]:
    asked = intent.amount or 0
    if said is None:
        return [_("it does not say how much moved")]
    if said <= 0:
        return [_("it says an amount of {said}, not above zero").format(said=fmt(said))]
    if intent.use_all:
        if said > asked:
            return [
                _("it says {said}, more than the {asked} there was").format(
                    said=fmt(said), asked=fmt(asked)
                )
            ]
        return []
    if said != asked:
        return [_("it says {said}, not the {asked} asked").format(said=fmt(said), asked=fmt(asked))]
    return []


def _direction(
    op: str, after: int, amount: int, before: Gift | None, fmt: Callable[[int], str]
) -> list[str]:
    if op in MAKES and after != amount:
        return [
            _("it says the new card holds {after}, not the {amount} it was sold for").format(
                after=fmt(after), amount=fmt(amount)
            )
        ]
    if op == "cash_out" and after != 0:
        return [
            _("it says {after} is left on the card after paying it all out").format(
                after=fmt(after)
            )
        ]
    if op == "void" and after != 0:
        return [_("it says {after} is left on the card it voided").format(after=fmt(after))]
    held = None if before is None else before.balance
    if op == "reversal" and held is not None and after > held + amount:
        return [
            _("it says {after} is on the card, more than {held} plus {amount}").format(
                after=fmt(after), held=fmt(held), amount=fmt(amount)
            )
        ]
    if op in TAKES and before is not None and before.balance is not None:
        if after > before.balance:
            return [
                _("it says the balance went up to {after} after {what}").format(
                    after=fmt(after), what=_a(op)
                )
            ]
        if after > before.balance - amount:
            return [
                _("it says {after} is left, more than {before} less {amount}").format(
                    after=fmt(after), before=fmt(before.balance), amount=fmt(amount)
                )
            ]
    return []


def in_words(found: tuple[str, ...]) -> str:
    """The doubts as one sentence for a receipt, a screen and the journal."""
    return _("The provider's answer does not add up: {doubts}.").format(doubts="; ".join(found))


def doubted_notes(entry: Entry) -> tuple[str, ...]:
    """A receipt's words for a movement whose answer did not add up, while it is not
    confirmed: why, what not to do, that the till asks again by itself."""
    if entry.answer is None or not entry.to_settle or not entry.error:
        return ()
    do_not = _(DO_NOT[entry.operation]).format(card=short(entry.code))
    said = _(
        "{error} {do_not}: the till asks the provider again by itself, and the manager sees "
        "the answer in the reconciliation."
    )
    return (said.format(error=entry.error, do_not=do_not[:1].upper() + do_not[1:]),)


# What a manager reads of a kept answer: enough to see the lie, not a page of JSON.
SHOWN = 400
# Keys whose values are card codes or tokens in docs/api.md's and Square's answers.
_SECRET_KEYS = {"code", "gan", "gift_card_gan", "serial_number", "public_token", "token"}
_DIGITS = re.compile(r"\d{6,}")


def for_the_manager(answer: str) -> str:
    """A kept answer as the reconciliation shows it (issue 18.3: "kept with the raw answer
    for the manager"): card codes and tokens masked as everywhere else (house rule 7), at
    most SHOWN characters. Not JSON: its text, with long digit runs masked."""
    try:
        parsed = json.loads(answer)
    except ValueError:
        text = _DIGITS.sub(lambda m: mask(m.group()), answer)
    else:
        text = json.dumps(_masked(parsed), ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _masked(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return {
            k: mask(v) if k in _SECRET_KEYS and isinstance(v, str) else _masked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value
