"""What a money movement is, before any provider hears of it (house rule 14).

An Intent says what the till wants done, in the terminal's words: redeem an amount, all
that is left or a quantity; reverse a transaction; cash a card out; activate (sell) a card;
issue a new card. It knows no paths, bodies or provider: each provider adapter turns it
into its own requests, and the journal keeps it so the settler can send it again with the
same idempotency key after a crash or an unknown outcome.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

# "void": a card sold (activation) or issued by mistake, undone while unspent (api.md
# "Voiding a card sold or issued"): its whole value off and the card closed.
Operation = Literal["redemption", "reversal", "cash_out", "activation", "issue", "void"]
OPERATIONS: tuple[Operation, ...] = (
    "redemption",
    "reversal",
    "cash_out",
    "activation",
    "issue",
    "void",
)


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
    reason: str | None = None  # reversal: why, in the cashier's words
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
        if (self.amount is None) == (self.quantity is None) and self.operation != "reversal":
            raise ValueError(f"a {self.operation} moves an amount or a quantity, exactly one")
        needs = {
            "redemption": "gift_id",
            "cash_out": "gift_id",
            "reversal": "transaction_id",
            "void": "transaction_id",
            "activation": "code",
        }.get(self.operation)
        if needs is not None and not getattr(self, needs):
            raise ValueError(f"a {self.operation} needs its {needs}")
        ref = self.client_reference
        if ref is not None and not (0 < len(ref) <= 255 and ref.isascii() and ref.isprintable()):
            raise ValueError("a client reference is 1 to 255 printable ASCII characters")

    def referenced(self, client_reference: str) -> Intent:
        """The same intent carrying the till's reference for it."""
        return replace(self, client_reference=client_reference)

    def to_json(self) -> dict[str, Any]:
        """The fields that are set: what the journal stores."""
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}

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


def cash_out(gift_id: str, amount: int, *, reference: str | None = None) -> Intent:
    """All of the card's balance, which the till saw as `amount`."""
    return Intent("cash_out", gift_id=gift_id, amount=amount, reference=reference)


def activate(code: str, amount: int, *, reference: str | None = None) -> Intent:
    return Intent("activation", code=code, amount=amount, reference=reference)


def issue(amount: int, *, recipient_email: str | None = None) -> Intent:
    return Intent("issue", amount=amount, recipient_email=recipient_email)
