"""What the till asks for, typed (redesign §4.1): a `Request` is the words the cashier reads
around one job, and each job holds exactly what its use case needs, so the one who runs it
matches on the job instead of asserting that the right optional fields were filled in.

Also the answer (`Result`) and the shift's transactions that can be undone (`Reversible`)."""

from __future__ import annotations

from typing import ClassVar, Literal

from msgspec import Struct

from posapp.core.cash_out_law import confirm_words
from posapp.core.gift import Gift
from posapp.core.glossary import items
from posapp.core.money import format_money
from posapp.core.offline import LastKnown
from posapp.core.sale import Sale

Kind = Literal[
    "redemption",
    "redeem_all",
    "redeem_items",
    "cash_out",
    "activation",
    "issue",
    "reversal",
    "void",  # a card sold or issued by mistake, undone (terminal/reversal.py)
    "balance",
    "reprint",
    "open_manager",  # not a call: the PIN gate in front of the manager menu
    # One sale paid card by card (issue 23, core/sale.py, terminal/sale.py Sales):
    "sale_open",  # F11: the amount due, journalled
    "sale_pay",  # one card's redemption in the sale
    "sale_finish",  # paid in full, or the rest handed to other tender: the sale receipt
    "sale_cancel",  # every card paid refunded, newest first
]
MOVES_MONEY: frozenset[Kind] = frozenset(
    {
        "redemption",
        "redeem_all",
        "redeem_items",
        "cash_out",
        "activation",
        "issue",
        "reversal",
        "void",
        "sale_pay",
        "sale_cancel",
    }
)
Tone = Literal["ok", "warn", "bad", "muted"]


# --- the jobs ------------------------------------------------------------------------------


class Redeem(Struct, frozen=True):
    kind: ClassVar[Kind] = "redemption"
    card: Gift
    amount: int


class RedeemOffline(Struct, frozen=True):
    """A redemption taken while the provider cannot be reached (issue 24): journalled as
    offline, forwarded when it answers; `card` is the card on screen made from `last`."""

    kind: ClassVar[Kind] = "redemption"
    card: Gift
    last: LastKnown
    amount: int


class RedeemAll(Struct, frozen=True):
    kind: ClassVar[Kind] = "redeem_all"
    card: Gift
    amount: int  # the card's eligible value, as named on the confirm


class RedeemItems(Struct, frozen=True):
    kind: ClassVar[Kind] = "redeem_items"
    card: Gift
    quantity: int


class CashOut(Struct, frozen=True):
    kind: ClassVar[Kind] = "cash_out"
    card: Gift
    amount: int  # the card's eligible value, as named on the confirm
    # The statute that requires it (core/cash_out_law.py): the store's own policy is not
    # asked, the confirm names it, the receipt and the provider's ledger record it.
    law: str | None = None


class Sell(Struct, frozen=True):
    kind: ClassVar[Kind] = "activation"
    scanned: str  # the new card as scanned
    amount: int
    pricebook: str | None  # a denomination chosen: the provider prices it


class Refund(Struct, frozen=True):
    kind: ClassVar[Kind] = "issue"
    amount: int
    email: str | None


class Reverse(Struct, frozen=True):
    kind: ClassVar[Kind] = "reversal"
    entry_id: int
    code: str  # the card of the transaction it reverses
    detail: str = ""  # its cash side, on the confirm (core/cash_side.py)
    after: str = ""  # and with its result


class Void(Struct, frozen=True):
    kind: ClassVar[Kind] = "void"
    entry_id: int
    code: str  # the card sold or issued by mistake
    detail: str = ""
    after: str = ""


class PrintBalance(Struct, frozen=True):
    kind: ClassVar[Kind] = "balance"
    card: Gift


class Reprint(Struct, frozen=True):
    kind: ClassVar[Kind] = "reprint"
    card: Gift | None  # the card on screen, read again after


class OpenManager(Struct, frozen=True):
    kind: ClassVar[Kind] = "open_manager"


class OpenSale(Struct, frozen=True):
    kind: ClassVar[Kind] = "sale_open"
    due: int
    ticket: str | None  # the main register's ticket or receipt number, if typed


class PaySale(Struct, frozen=True):
    kind: ClassVar[Kind] = "sale_pay"
    sale_id: int
    card: Gift
    amount: int


class FinishSale(Struct, frozen=True):
    kind: ClassVar[Kind] = "sale_finish"
    sale_id: int


class CancelSale(Struct, frozen=True):
    kind: ClassVar[Kind] = "sale_cancel"
    sale_id: int
    detail: str = ""  # every card it refunds, on the confirm


Job = (
    Redeem
    | RedeemOffline
    | RedeemAll
    | RedeemItems
    | CashOut
    | Sell
    | Refund
    | Reverse
    | Void
    | PrintBalance
    | Reprint
    | OpenManager
    | OpenSale
    | PaySale
    | FinishSale
    | CancelSale
)


class Request(Struct, frozen=True):
    """A call named before it runs: the words say what it does, on which card, for how much."""

    job: Job
    words: str
    pin_for: str | None = None  # the [manager] require_pin_for action, when a PIN is asked
    pin_always: bool = False  # the PIN is asked whatever the config says (an earlier shift's)
    id: int = 0

    @property
    def kind(self) -> Kind:
        return self.job.kind

    @property
    def moves_money(self) -> bool:
        return self.job.kind in MOVES_MONEY

    @property
    def card(self) -> Gift | None:
        """The card it acts on, when it acts on the card on screen."""
        match self.job:
            case (
                Redeem()
                | RedeemAll()
                | RedeemItems()
                | CashOut()
                | PrintBalance()
                | Reprint()
                | PaySale()
            ):
                return self.job.card
            case RedeemOffline():
                return self.job.card
        return None

    @property
    def code(self) -> str | None:
        """A reversal's or void's: the card of the transaction it undoes."""
        match self.job:
            case Reverse() | Void():
                return self.job.code
        return None

    def owns(self, card: Gift) -> bool:
        """An answer paints only its own request's card: the card it acted on, the reversed
        transaction's card, or (a sale, a refund) the card it just made."""
        if self.card is not None:
            return card.id == self.card.id
        if self.code is not None:
            return card.code == self.code
        return self.kind in ("activation", "issue")

    @property
    def detail(self) -> str:
        """A reversal's or void's cash side, said on the confirm before the PIN; the law
        that requires a cash-out."""
        match self.job:
            case Reverse() | Void() | CancelSale():
                return self.job.detail
            case CashOut(law=str(statute)):
                return confirm_words(statute)
        return ""


class Selling(Struct, frozen=True):
    """A denomination or amount chosen: the till waits for the new card's scan."""

    amount: int
    pricebook: str | None


class Result(Struct, frozen=True):
    """What the window made of a call's answer: words, and the card as the provider now sees
    it (None: not read again; `clears_card`: the balance on screen can no longer be trusted)."""

    words: str
    tone: Tone = "ok"
    card: Gift | None = None
    clears_card: bool = False
    moved: bool | None = None  # a money call's: it went through, it did not, None: not known
    sale: Sale | None = None  # a sale's request: the sale as it stands now (due, paid, left)


class Reversible(Struct, frozen=True):
    """One of the shift's transactions that can be reversed (the pick overlay's rows)."""

    entry_id: int
    operation: str
    code: str
    amount: int | None
    currency: str
    at: str = ""  # when it was made, "10:58": the PIN prompt names it
    quantity: int | None = None  # an item gift's: "1 × Coffee", not an amount
    item_label: str | None = None
    # The day it was made, when in an earlier shift (a receipt kept from another day, issue
    # 19.13): the PIN prompt names it, and the manager's PIN is asked whatever the config says.
    earlier: str = ""

    def moved(self, locale: str) -> str:
        """What it moved: "$9.99", or an item gift's "1 × Coffee"."""
        if self.quantity is not None:
            return items(self.quantity, self.item_label)
        return format_money(self.amount or 0, self.currency, locale)
