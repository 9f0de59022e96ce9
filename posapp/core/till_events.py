"""What reaches the till (events) and what it asks for back (effects), typed (redesign §4.2).

The window sends each event to `Till.handle`, which answers with effects for the window to
carry out; a reader and a type checker follow a scan from the key to the call it starts.
Values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from posapp.core.cash_out import CashOutPolicy
from posapp.core.gift import Gift
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
    "manager",
]
ScreenName = Literal[
    "manager", "cards", "settings", "preview", "reports", "signin", "refunds", "quit"
]

# --- events: what happened ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attached:
    """The engine is ready: a scan that came while it was built is checked now."""


@dataclass(frozen=True, slots=True)
class CurrencyKnown:
    currency: str


@dataclass(frozen=True, slots=True)
class CashOutKnown:
    """The store's cash-out switch and limit as the provider said them (ui/cash_out.py)."""

    policy: CashOutPolicy | None


@dataclass(frozen=True, slots=True)
class ProviderOffline:
    """The status watch did not reach the provider: a call that asks a PIN says so first."""


@dataclass(frozen=True, slots=True)
class ProviderBack:
    """The status watch reached the provider."""


@dataclass(frozen=True, slots=True)
class PinSet:
    """A manager PIN is set, or is not (read again as the config file changes)."""

    is_set: bool


@dataclass(frozen=True, slots=True)
class Scan:
    """A scan: the wedge, the serial reader, or the scan field and Enter."""

    text: str
    now: float


@dataclass(frozen=True, slots=True)
class CardFound:
    request: int
    gift: Gift
    notice: str = ""


@dataclass(frozen=True, slots=True)
class TransactionFound:
    """The scan was a receipt's transaction barcode."""

    request: int
    found: Reversible


@dataclass(frozen=True, slots=True)
class CheckFailed:
    request: int
    words: str


@dataclass(frozen=True, slots=True)
class ActionKey:
    """An action key or button (ACTIONS)."""

    name: ActionName


@dataclass(frozen=True, slots=True)
class AmountKey:
    """A key on the amount overlay: digits, the decimal mark, BackSpace, a denomination's."""

    key: str


@dataclass(frozen=True, slots=True)
class ChooseDenomination:
    pricebook: str


@dataclass(frozen=True, slots=True)
class Confirm:
    """Enter, or the overlay's OK button."""

    pin: str = ""
    email: str = ""
    pick: Reversible | None = None


@dataclass(frozen=True, slots=True)
class PinChecked:
    request: int
    problem: str | None
    notice: str = ""  # wrong PINs tried before this right one (issue 18.8)


@dataclass(frozen=True, slots=True)
class SaleChecked:
    """The card scanned to sell, as the provider knows it: None, free to sell."""

    request: int
    problem: str | None


@dataclass(frozen=True, slots=True)
class UndoChecked:
    """The card of a transaction to undo, as the provider knows it: None, it can be."""

    request: int
    problem: str | None


@dataclass(frozen=True, slots=True)
class ShowScreen:
    """The manager menu opens another screen in its place."""

    name: ScreenName


@dataclass(frozen=True, slots=True)
class Cancel:
    """Esc: close what is open, or clear the card."""


@dataclass(frozen=True, slots=True)
class Answered:
    """A call's answer (or its error, as a Result with tone "bad")."""

    request: int
    result: Result


@dataclass(frozen=True, slots=True)
class Timeout:
    """A money call's deadline went by without an answer."""

    request: int


@dataclass(frozen=True, slots=True)
class Settled:
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
    | TransactionFound
    | CheckFailed
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
    | Settled
)

# --- effects: what the window carries out -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    """A card to check with the provider (the scan as it came)."""

    request: int
    text: str


@dataclass(frozen=True, slots=True)
class CheckSale:
    """A card scanned to sell, to look up before the confirm (issue 19.4): sold already?"""

    request: int
    text: str


@dataclass(frozen=True, slots=True)
class CheckUndo:
    """A transaction to reverse or void: its card looked up before the manager's PIN (the
    retrial of a till, O: a redemption was reversed onto a card cashed out since)."""

    request: int
    entry_id: int


@dataclass(frozen=True, slots=True)
class CheckPin:
    """The manager PIN to check (a slow hash, off the Tk thread)."""

    request: int
    pin: str


@dataclass(frozen=True, slots=True)
class Move:
    """A call that moves money (or prints) to start."""

    request: Request


@dataclass(frozen=True, slots=True)
class ToScreen:
    """A scan while a manager screen is open: the screen takes it or says why not."""

    text: str


@dataclass(frozen=True, slots=True)
class Sound:
    """The good or the bad sound."""

    kind: Literal["good", "bad"]


@dataclass(frozen=True, slots=True)
class RefreshShift:
    """Read the shift list again."""


Effect = Check | CheckSale | CheckUndo | Move | CheckPin | ToScreen | Sound | RefreshShift
