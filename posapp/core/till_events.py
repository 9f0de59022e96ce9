"""What reaches the till (events) and what it asks for back (effects), typed (redesign §4.2).

The window sends each event to `Till.handle`, which answers with effects for the window to
carry out; a reader and a type checker follow a scan from the key to the call it starts.
Values, no I/O."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from msgspec import Struct

from posapp.core.card_pin import CardPin
from posapp.core.cash_out import CashOutPolicy
from posapp.core.gift import Gift
from posapp.core.offline import LastKnown
from posapp.core.sale import Sale
from posapp.core.till_request import Request, Result, Reversible, Tone

# The action table's names (core/till.py ACTIONS) and the screens the till opens by name.
ActionName = Literal[
    "redeem",
    "use_all",
    "balance",
    "sell",
    "refund",
    "reverse",
    "cash_out",
    "reprint",
    "reports",
    "sale",
    "manager",
]
ScreenName = Literal[
    "manager",
    "cards",
    "settings",
    "preview",
    "reports",
    "signin",
    "refunds",
    "losses",
    "quit",
    "calibrate",
]

# --- events: what happened ---------------------------------------------------------------


class Attached(Struct, frozen=True):
    """The engine is ready: a scan that came while it was built is checked now."""


class CurrencyKnown(Struct, frozen=True):
    currency: str


class CashOutKnown(Struct, frozen=True):
    """The store's cash-out switch and limit as the provider said them (ui/cash_out.py)."""

    policy: CashOutPolicy | None


class ProviderOffline(Struct, frozen=True):
    """The status watch did not reach the provider: a call that asks a PIN says so first."""


class ProviderBack(Struct, frozen=True):
    """The status watch reached the provider."""


class PinSet(Struct, frozen=True):
    """A manager PIN is set, or is not (read again as the config file changes)."""

    is_set: bool


class Scan(Struct, frozen=True):
    """A scan: the wedge, the serial reader, or the scan field and Enter."""

    text: str
    now: float


class CardFound(Struct, frozen=True):
    request: int
    gift: Gift
    notice: str = ""
    pin: CardPin | None = None  # the card's PIN, from its scan


class CardPinAsked(Struct, frozen=True):
    """The card scanned needs its PIN (terminal/ports.py PinNeeded), or the PIN sent with
    the check was wrong: the till asks for it on its masked keypad (core/card_pin_steps.py)."""

    request: int
    text: str  # the scan, to check again with the PIN
    words: str = ""  # the provider's, in the cashier's words
    wrong: bool = False


class CardPinKey(Struct, frozen=True):
    """A key on the card PIN keypad: a digit or BackSpace."""

    key: str


class TransactionFound(Struct, frozen=True):
    """The scan was a receipt's transaction barcode."""

    request: int
    found: Reversible


class CheckFailed(Struct, frozen=True):
    """A scan's look-up failed; `card`: the card the provider refused, masked ("••0006")."""

    request: int
    words: str
    card: str = ""


class CardSeen(Struct, frozen=True):
    """A scan's check could not reach the provider while the till may sell offline (issue
    24): the card as last seen online (None: never, or not kept), and this shift's offline
    total and the manager's switch as the terminal says them now (core/till_offline.py)."""

    request: int
    code: str
    last: LastKnown | None
    now: datetime
    words: str  # why it could not be checked, in the cashier's words
    taken: int = 0
    off_for_shift: bool = False


class OfflineKnown(Struct, frozen=True):
    """This shift's offline total and the manager's switch, as the terminal says them."""

    taken: int
    off_for_shift: bool


class ActionKey(Struct, frozen=True):
    """An action key or button (ACTIONS)."""

    name: ActionName


class AmountKey(Struct, frozen=True):
    """A key on the amount overlay: digits, the decimal mark, BackSpace, a denomination's."""

    key: str


class ChooseDenomination(Struct, frozen=True):
    pricebook: str


class Confirm(Struct, frozen=True):
    """Enter, or the overlay's OK button."""

    pin: str = ""
    email: str = ""
    pick: Reversible | None = None
    ticket: str = ""  # the amount due's: the main register's ticket number, if typed


class PinChecked(Struct, frozen=True):
    request: int
    problem: str | None
    notice: str = ""  # wrong PINs tried before this right one (issue 18.8)


class SaleChecked(Struct, frozen=True):
    """The card scanned to sell, as the provider knows it: None, free to sell."""

    request: int
    problem: str | None


class UndoChecked(Struct, frozen=True):
    """The card of a transaction to undo, as the provider knows it: None, it can be."""

    request: int
    problem: str | None
    sale: str | None = None  # a finished sale's payment: which sale (core/sale_undo.py)


class ShowScreen(Struct, frozen=True):
    """The manager menu opens another screen in its place."""

    name: ScreenName


class Cancel(Struct, frozen=True):
    """Esc: close what is open, or clear the card."""


class Answered(Struct, frozen=True):
    """A call's answer (or its error, as a Result with tone "bad")."""

    request: int
    result: Result


class Timeout(Struct, frozen=True):
    """A money call's deadline went by without an answer."""

    request: int


class SaleResumed(Struct, frozen=True):
    """On attach: the sale the journal has open (a till stopped in the middle of one)."""

    sale: Sale


class SaleRead(Struct, frozen=True):
    """The open sale read again after a sale's call failed or went past its deadline
    (`ReadSale`): None, no sale is open any more."""

    sale: Sale | None


class Settled(Struct, frozen=True):
    """A movement left not confirmed has settled (core/settled.py's words)."""

    words: str
    tone: Tone


TillEvent = (
    Attached
    | CurrencyKnown
    | CashOutKnown
    | ProviderOffline
    | ProviderBack
    | PinSet
    | Scan
    | CardFound
    | CardPinAsked
    | CardPinKey
    | TransactionFound
    | CheckFailed
    | CardSeen
    | OfflineKnown
    | ActionKey
    | AmountKey
    | ChooseDenomination
    | Confirm
    | PinChecked
    | SaleChecked
    | UndoChecked
    | ShowScreen
    | Cancel
    | Answered
    | Timeout
    | SaleResumed
    | SaleRead
    | Settled
)

# --- effects: what the window carries out -------------------------------------------------


class Check(Struct, frozen=True):
    """A card to check with the provider (the scan as it came)."""

    request: int
    text: str
    pin: CardPin | None = None  # the card's PIN the customer typed


class CheckSale(Struct, frozen=True):
    """A card scanned to sell, to look up before the confirm (issue 19.4): sold already?"""

    request: int
    text: str


class CheckUndo(Struct, frozen=True):
    """A transaction to reverse or void: its card looked up before the manager's PIN (the
    retrial of a till, O: a redemption was reversed onto a card cashed out since)."""

    request: int
    entry_id: int
    pin: CardPin | None = None  # its card's PIN, when that card is on screen with it


class CheckPin(Struct, frozen=True):
    """The manager PIN to check (a slow hash, off the Tk thread)."""

    request: int
    pin: str

    def __repr__(self) -> str:  # a log line or a traceback shows the effect, never the PIN
        return f"CheckPin(request={self.request}, pin=hidden)"


class Move(Struct, frozen=True):
    """A call that moves money (or prints) to start; `pin`: its card's, where it has one."""

    request: Request
    pin: CardPin | None = None


class ToScreen(Struct, frozen=True):
    """A scan while a manager screen is open: the screen takes it or says why not."""

    text: str


class Sound(Struct, frozen=True):
    """The good or the bad sound."""

    kind: Literal["good", "bad"]


class RefreshShift(Struct, frozen=True):
    """Read the shift list again."""


class ReadSale(Struct, frozen=True):
    """Read the open sale again (Sales.current()): a sale's call failed or timed out, and
    what it paid or refunded is known only to the journal now."""


Effect = (
    Check | CheckSale | CheckUndo | Move | CheckPin | ToScreen | Sound | RefreshShift | ReadSale
)
