"""What a money movement is, before any provider hears of it (house rule 14).

An Intent says what the till wants done, in the terminal's words: redeem an amount, all
that is left or a quantity; reverse a transaction; cash a card out; activate (sell) a card;
issue a new card; and a manager's money changes (issue 19.2): a balance set, a card created
with a balance, a card canceled holding money. It knows no paths, bodies or provider: each provider adapter turns it
into its own requests, and the journal keeps it so the settler can send it again with the
same idempotency key after a crash or an unknown outcome.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal, get_args

# "void": a card sold (activation) or issued by mistake, undone while unspent (api.md
# "Voiding a card sold or issued"): its whole value off and the card closed.
# "adjustment", "card_created", "card_canceled": a manager's changes from the gift cards
# screen, each an `adjustment` at the provider (api.md "Manager changes").
# A till's own movements each print a receipt of that kind (core/receipt.py's ReceiptKind).
TillOperation = Literal["redemption", "reversal", "cash_out", "activation", "issue", "void"]
ManagerChange = Literal["adjustment", "card_created", "card_canceled"]
Operation = Literal[TillOperation, ManagerChange]
OPERATIONS: tuple[Operation, ...] = get_args(Operation)  # written once: the Literal's values
CHANGES: tuple[ManagerChange, ...] = get_args(ManagerChange)


@dataclass(frozen=True, slots=True)
class Intent:
    operation: Operation
    gift_id: str | None = None  # the card moved (redemption, cash-out; a reversal's card)
    transaction_id: str | None = None  # reversal: the provider's transaction undone
    code: str | None = None  # activation: the serial of the card being sold
    amount: int | None = None  # minor units; a reversal's and a cash-out's amount too
    quantity: int | None = None  # item gifts
    use_all: bool = False  # redemption: take what is there, up to amount (split tender)
    reference: str | None = None  # the store's own reference (a price book on a sale)
    recipient_email: str | None = None  # issue: who gets the new card
    # reversal: why, in the cashier's words; a manager change's; a cash-out's: the statute
    # that requires it (core/cash_out_law.py)
    reason: str | None = None
    balance: int | None = None  # a manager change: the balance set, or a new card's
    expires_at: str | None = None  # a card created: its expiry (RFC 3339), none: never
    # The till's own name for this one movement (api.md "Key retention and client
    # references"), sent with every attempt and kept by the provider with the transaction:
    # what the settler asks by before sending a movement again. None: an entry written
    # before issue 18, sent without one.
    client_reference: str | None = None

    def __post_init__(self) -> None:
        if self.operation not in OPERATIONS:
            raise ValueError(f"not an operation: {self.operation!r}")
        for name in ("amount", "quantity"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or value <= 0):
                raise ValueError(f"{name} must be a positive int of minor units, not {value!r}")
        if self.operation in CHANGES:
            self._check_change()
        elif (self.amount is None) == (self.quantity is None) and self.operation != "reversal":
            raise ValueError(f"a {self.operation} moves an amount or a quantity, exactly one")
        needs = {
            "redemption": "gift_id",
            "cash_out": "gift_id",
            "reversal": "transaction_id",
            "void": "transaction_id",
            "activation": "code",
            "adjustment": "gift_id",
            "card_canceled": "gift_id",
            "card_created": "code",
        }.get(self.operation)
        if needs is not None and not getattr(self, needs):
            raise ValueError(f"a {self.operation} needs its {needs}")
        ref = self.client_reference
        if ref is not None and not (0 < len(ref) <= 255 and ref.isascii() and ref.isprintable()):
            raise ValueError("a client reference is 1 to 255 printable ASCII characters")

    def _check_change(self) -> None:
        """A manager change sets a balance (zero allowed, a new card's above zero); it moves
        no amount of its own: the provider's adjustment says how much."""
        if self.amount is not None or self.quantity is not None:
            raise ValueError(f"a {self.operation} sets a balance; it moves no amount")
        if self.operation == "card_canceled":
            return
        least = 1 if self.operation == "card_created" else 0
        if type(self.balance) is not int or self.balance < least:
            raise ValueError(f"a {self.operation} needs a balance of {least} or more")

    def referenced(self, client_reference: str) -> Intent:
        """The same intent carrying the till's reference for it."""
        return replace(self, client_reference=client_reference)

    def to_json(self) -> dict[str, Any]:
        """The fields that are set: what the journal stores."""
        # A balance of zero is kept (0 == False, so `not in (None, False)` dropped it).
        return {k: v for k, v in asdict(self).items() if v is not None and v is not False}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Intent:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown intent fields: {sorted(unknown)}")
        return cls(**data)


def redeem(
    gift_id: str,
    *,
    amount: int | None = None,
    quantity: int | None = None,
    use_all: bool = False,
    reference: str | None = None,
) -> Intent:
    return Intent(
        "redemption",
        gift_id=gift_id,
        amount=amount,
        quantity=quantity,
        use_all=use_all,
        reference=reference,
    )


def reverse(
    transaction_id: str,
    *,
    gift_id: str | None,
    amount: int | None,
    quantity: int | None = None,
    reason: str | None = None,
) -> Intent:
    """The card and the amount go with it: a provider that cannot void a transaction
    (Square) puts the amount back on the card instead."""
    return Intent(
        "reversal",
        transaction_id=transaction_id,
        gift_id=gift_id,
        amount=amount,
        quantity=quantity,
        reason=reason,
    )


def void(
    transaction_id: str, *, gift_id: str | None, amount: int, reason: str | None = None
) -> Intent:
    """The activation or issue `transaction_id` undone: `amount`, all the card was sold or
    issued for, taken off (a provider without api.md's void takes it off by an adjustment)."""
    return Intent(
        "void", transaction_id=transaction_id, gift_id=gift_id, amount=amount, reason=reason
    )


def cash_out(
    gift_id: str, amount: int, *, reference: str | None = None, required_by: str | None = None
) -> Intent:
    """All of the card's balance, which the till saw as `amount`; `required_by`: the
    statute that requires it (core/cash_out_law.py), kept as its `reason` for the receipt
    and sent as api.md's `required_by`, the ledger's reference naming it."""
    if required_by is not None:  # the ledger's words: English, as every reference sent
        reference = reference or f"Cash-out required by {required_by}"
    return Intent(
        "cash_out", gift_id=gift_id, amount=amount, reference=reference, reason=required_by
    )


def activate(code: str, amount: int, *, reference: str | None = None) -> Intent:
    return Intent("activation", code=code, amount=amount, reference=reference)


def issue(amount: int, *, recipient_email: str | None = None) -> Intent:
    return Intent("issue", amount=amount, recipient_email=recipient_email)


def adjust(gift_id: str, balance: int, *, reason: str | None = None) -> Intent:
    """A manager sets the card's balance (an adjustment of the difference)."""
    return Intent("adjustment", gift_id=gift_id, balance=balance, reason=reason)


def create_card(
    code: str, balance: int, *, reason: str | None = None, expires_at: str | None = None
) -> Intent:
    """A manager makes a card with money on it (an adjustment from nothing)."""
    return Intent("card_created", code=code, balance=balance, reason=reason, expires_at=expires_at)


def cancel_card(gift_id: str, *, reason: str | None = None) -> Intent:
    """A manager cancels a card that holds money (what it holds leaves by an adjustment)."""
    return Intent("card_canceled", gift_id=gift_id, reason=reason)
