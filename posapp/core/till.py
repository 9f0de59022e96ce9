"""The till: what the cashier screen does, as one pure state machine (house rule 13). No Tk.

The window forwards events (a scan, an action key, an amount key, Enter, Esc, the answer of
a call it started) to a `Till`; each event changes the till's state and returns effects for
the window to carry out (`Check`, `Move`, `CheckPin`, `ToScreen`, `Sound`, `RefreshShift`).
The window then draws the state. Nothing in the window decides.

What holds, whatever order events come in (tests/core/test_till.py, hypothesis):
- at most one call in flight that moves money (or prints): while it runs, every action is
  refused with the bad sound and words, and a scan is refused, never acted on;
- a money action acts only on the card on screen, and the card on screen is the last
  successful scan: a scan clears the card at once, a failed one leaves no card;
- every call carries a request id; an answer paints only when it answers the request the
  till is waiting for. A money answer after its deadline went by (`timeout`) goes to the
  shift list only.

`ACTIONS` is the one action table: name, label, key, when enabled, handler. The window
makes its buttons and key bindings from it; adding an action is one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, assert_never

from posapp.core import cash_out as cash_policy
from posapp.core import reach, settled, unknown, unusable
from posapp.core.activation import amount_refusal, sale_entry
from posapp.core.cardview import card_view
from posapp.core.cash_side import after_undo, before_undo
from posapp.core.gift import Gift
from posapp.core.glossary import transaction
from posapp.core.keypad import AmountEntry, Refused
from posapp.core.money import AmountError, format_money
from posapp.core.no_pin import NEEDS_PIN, PIN_FOR_ACTION, no_pin
from posapp.core.open_key import already_open
from posapp.core.serials import CardRef, SerialPatterns
from posapp.core.till_events import (
    ActionKey,
    ActionName,
    AmountKey,
    Answered,
    Attached,
    Cancel,
    CardFound,
    CashOutKnown,
    Check,
    CheckFailed,
    CheckPin,
    CheckSale,
    CheckUndo,
    ChooseDenomination,
    Confirm,
    CurrencyKnown,
    Effect,
    Move,
    PinChecked,
    PinSet,
    ProviderBack,
    ProviderOffline,
    RefreshShift,
    SaleChecked,
    Scan,
    ScreenName,
    Settled,
    ShowScreen,
    Sound,
    TillEvent,
    Timeout,
    ToScreen,
    TransactionFound,
    UndoChecked,
)
from posapp.core.till_request import (
    CashOut,
    OpenManager,
    PrintBalance,
    Redeem,
    RedeemAll,
    RedeemItems,
    Refund,
    Reprint,
    Request,
    Result,
    Reverse,
    Reversible,
    Sell,
    Selling,
    Tone,
    Void,
)

Phase = Literal[
    "idle",  # no card on screen
    "checking",  # a scan is being checked with the provider
    "card",  # a card on screen, nothing open
    "entering",  # the amount overlay (redeem, sell, refund)
    "selling",  # a denomination or amount chosen: waiting for the new card's scan
    "picking",  # the overlay that picks one of the shift's transactions (reverse)
    "confirming",  # the confirm overlay (with the manager PIN where the config asks)
    "busy",  # a call that moves money or prints is in flight
    "screen",  # a manager screen (reports, gift cards, settings, receipt preview)
]
SAME_CARD_WINDOW_S = 2.0  # the same text scanned twice within 2 s is one scan (a double read)
# The keys of the sell overlay's denominations, in the config's order (issue 19.15: they had
# none). Letters: digits and the decimal mark type an amount there, F-keys are the actions.
DENOMINATION_KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def last_four(code: str) -> str:
    return "••" + code[-4:]


@dataclass(frozen=True, slots=True)
class Action:
    """One entry of the action table: the window's button, key and enabling."""

    name: ActionName
    label: str
    key: str  # a Tk keysym, "F2"
    enabled: Callable[[Till], bool]
    handler: Callable[[Till], list[Effect]]
    words: Callable[[Till], str] = lambda till: ""  # the label naming card and amount


# --- the machine ---------------------------------------------------------------------------


@dataclass
class Till:
    """The state of the cashier screen, and the events that change it."""

    patterns: SerialPatterns
    locale: str = "en_US"
    pin_for: frozenset[str] = frozenset()
    denominations: tuple[tuple[str, int], ...] = ()
    sale_limits: tuple[int, int] | None = None  # [sale] min_amount, max_amount
    currency: str = ""  # the store's, once the provider said it
    cash_out: cash_policy.CashOutPolicy | None = None  # the store's, as last said (ui/cash_out)
    ready: bool = False  # the engine is attached
    pin_set: bool = True  # a manager PIN is set ([manager] pin_hash); read again as it changes
    offline: bool = False  # the status watch's last word: the provider was not reached

    phase: Phase = "idle"
    card: Gift | None = None
    checking: int | None = None  # the check being waited for
    entry: AmountEntry | None = None
    purpose: Literal["redeem", "sell", "refund"] | None = None
    selling: Selling | None = None
    pending: Request | None = None  # confirming: the call waiting for Enter (and the PIN)
    pin_check: int | None = None
    # Selling: the scanned card being looked up (CheckSale), and its sale.
    sale_check: tuple[int, Request] | None = None
    undo_check: tuple[int, Request] | None = None  # F7: its card looked up first (CheckUndo)
    # Wrong PINs tried before the one that approved the call running: said with its answer.
    pin_notice: str = ""
    # Said apart from the message, under it and not in its colour (the demo retrial, 37: a
    # refund's result and the wrong-PIN notice were one amber block); kept until the next
    # key, scan or Esc.
    aside: str = ""
    in_flight: Request | None = None
    screen: ScreenName | None = None
    screen_from: ScreenName | None = (
        None  # the screen this one was opened from: Esc goes back there
    )
    message: str = ""
    tone: Tone = "ok"
    late: dict[int, Request] = field(default_factory=dict)  # deadline went by unanswered
    # What settled meanwhile (core/settled.py's words), said once nothing is open over the
    # panel (issue 19.10: "NOT CONFIRMED" stayed on it after the settle).
    notices: list[tuple[str, Tone]] = field(default_factory=list)
    waiting_scan: str | None = None  # a scan that came before the engine was ready
    dropped: str = ""  # what a scan cancelled, said until the scanned card is shown
    last_scan: tuple[str, float] = ("", -1e9)
    _ids: int = 0

    # --- events ----------------------------------------------------------------------------

    def handle(self, event: TillEvent) -> list[Effect]:
        """One event in, the effects for the window to carry out back (redesign §4.2)."""
        match event:
            case Attached():
                return self.attached()
            case CurrencyKnown(currency):
                self.currency_known(currency)
                return []
            case CashOutKnown(policy):
                self.cash_out = policy
                return []
            case ProviderOffline():
                self.offline = True  # a call that asks the PIN says so before it (reach.py)
                return []
            case ProviderBack():
                return self.provider_back()
            case PinSet(is_set):
                self.pin_set = is_set
                return []
            case Scan(text, now):
                return self.scan(text, now)
            case CardFound(request, gift, notice):
                return self.card_found(request, gift, notice)
            case TransactionFound(request, found):
                return self.transaction_found(request, found)
            case CheckFailed(request, words):
                return self.check_failed(request, words)
            case ActionKey(name):
                return self.action(name)
            case AmountKey(key):
                return self.amount_key(key)
            case ChooseDenomination(pricebook):
                return self.choose_denomination(pricebook)
            case Confirm(pin, email, pick):
                return self.confirm(pin=pin, email=email, pick=pick)
            case PinChecked(request, problem, notice):
                return self.pin_checked(request, problem, notice)
            case SaleChecked(request, problem):
                return self.sale_checked(request, problem)
            case UndoChecked(request, problem):
                return self.undo_checked(request, problem)
            case ShowScreen(name):
                return self.show_screen(name)
            case Cancel():
                return self.cancel()
            case Answered(request, result):
                return self.answered(request, result)
            case Timeout(request):
                return self.timeout(request)
            case Settled(words, tone):
                return self.settled(words, tone)
            case _:
                assert_never(event)

    def attached(self) -> list[Effect]:
        """The engine is ready; a scan that came while it was built is checked now."""
        self.ready = True
        scan, self.waiting_scan = self.waiting_scan, None
        return self.scan(scan, now=0.0) if scan else []

    def currency_known(self, currency: str) -> None:
        self.currency = currency

    def scan(self, text: str, now: float) -> list[Effect]:
        """A scan: the wedge, the serial reader, or the scan field and Enter."""
        self.aside = ""
        text = text.strip()
        if not text:
            return []
        if not self.ready:
            self.waiting_scan = text
            return self._say("Starting… the scan is checked in a moment", "warn")
        if self.phase == "busy":
            assert self.in_flight is not None
            return self._refuse(f"Wait: {_doing(self.in_flight)}. Scan again after.")
        if self.phase == "screen":
            return [ToScreen(text)]
        seen, at = self.last_scan
        self.last_scan = (text, now)
        if text == seen and now - at < SAME_CARD_WINDOW_S and self.phase in ("checking", "card"):
            return []  # a double read of the card being checked or shown
        if self.phase == "selling" or (
            self.phase == "confirming"
            and self.pending is not None
            and self.pending.kind == "activation"
        ):
            return self._scan_to_sell(text)
        # What was open is for the card before: it closes, and says so (issue 19.12: the
        # amount typed went without a word and the next key acted on another card).
        # A scan during the check of the one that cancelled keeps saying what it cancelled.
        kept = self.dropped if self.phase == "checking" else ""
        card = isinstance(self.patterns.extract(text), CardRef)
        self.dropped = _cancelled(self._open_words(), self.card is not None, card) or kept
        self._close_overlay()
        self.card = None  # the card on screen is the last successful scan, or none
        self.phase = "checking"
        self.checking = self._next_id()
        self.message = _sentences(self.dropped, "Checking the card…")
        self.tone = "warn" if self.dropped else "muted"
        return [Check(self.checking, text)]

    def card_found(self, request: int, gift: Gift, notice: str = "") -> list[Effect]:
        if request != self.checking:
            return []  # a scan that another one replaced
        self.checking = None
        self.card, self.phase = gift, "card"
        # A card that cannot pay says what it holds and why ("$40.00 held, expired ...").
        why = card_view(gift, self.locale).why
        self.message = _sentences(self.dropped, notice, why, unusable.tell_customer(gift))
        self.tone = "warn" if self.message else "ok"
        self.dropped = ""
        return [Sound("good"), *self._deliver()]

    def transaction_found(self, request: int, found: Reversible) -> list[Effect]:
        """The scan was a receipt's transaction barcode: offer to reverse that transaction."""
        if request != self.checking:
            return []
        self.checking = None
        self.phase = "idle"
        return [Sound("good"), *self._confirm_reversal(found)]

    def check_failed(self, request: int, words: str) -> list[Effect]:
        if request != self.checking:
            return []
        self.checking = None
        self.card, self.phase = None, "idle"
        dropped, self.dropped = self.dropped, ""
        return [*self._refuse(_sentences(words, dropped)), *self._deliver()]

    def action(self, name: ActionName) -> list[Effect]:
        """An action key or button (ACTIONS)."""
        self.aside = ""
        act = ACTION_BY_NAME[name]
        if not self.ready:
            return self._refuse("Starting… one moment")
        if name == "use_all" and self.phase == "entering" and self.purpose == "redeem":
            return act.handler(self)  # "All (F3)" on the amount overlay
        if not act.enabled(self):  # its key again on what it opened: nothing to do or say
            return [] if already_open(name, self) else self._refuse(self._why_not(act))
        if not self.pin_set and PIN_FOR_ACTION.get(name) in self.pin_for:
            return self._refuse(no_pin(NEEDS_PIN[name]))  # before its PIN pad, not after
        return act.handler(self)

    def amount_key(self, key: str) -> list[Effect]:
        """A key on the amount overlay: digits, the decimal mark, BackSpace."""
        if self.phase != "entering" or self.entry is None:
            return []
        if self.purpose == "sell" and key.upper() in DENOMINATION_KEYS[: len(self.denominations)]:
            book = self.denominations[DENOMINATION_KEYS.index(key.upper())][0]
            return self.choose_denomination(book)
        try:
            self.entry = self.entry.press(key)
        except AmountError as exc:
            # In doubt until BackSpace: "12,5" keeps $0.12 and its words, and Enter waits.
            self.entry = self.entry.refuse(exc)
            return self._refuse(self.entry.fix_first())
        self.message = ""
        return []

    def choose_denomination(self, pricebook: str) -> list[Effect]:
        if self.phase != "entering" or self.purpose != "sell":
            return []
        amount = dict(self.denominations)[pricebook]
        return self._wait_for_card_to_sell(amount, pricebook)

    def confirm(
        self, *, pin: str = "", email: str = "", pick: Reversible | None = None
    ) -> list[Effect]:
        """Enter, or the overlay's OK button."""
        if self.phase == "entering":
            return self._amount_entered(email)
        if self.phase == "picking":
            if pick is None:
                return self._refuse("Choose a transaction first")
            return self._confirm_reversal(pick)
        if self.phase != "confirming" or self.pending is None:
            return []
        if self.pending.pin_for is None:
            return self._start(self.pending)
        if self.pin_check is not None:
            return []  # the PIN is being checked
        if not pin:
            return self._refuse("Enter the manager PIN")
        self.pin_check = self._next_id()
        self.message, self.tone = "Checking the PIN…", "muted"
        return [CheckPin(self.pin_check, pin)]

    def pin_checked(self, request: int, problem: str | None, notice: str = "") -> list[Effect]:
        """The PIN's answer; `notice`: how many wrong PINs came before this right one, for
        the manager to read where the approved action answers (issue 18.8)."""
        if request != self.pin_check or self.pending is None:
            return []  # the overlay was closed meanwhile
        self.pin_check = None
        if problem is not None:
            return self._refuse(problem)
        effects = self._start(self.pending)
        if notice and self.phase == "screen":  # the manager menu: said on it at once
            self.message, self.tone = notice, "warn"
        elif notice:
            self.pin_notice = notice
        return effects

    def show_screen(self, name: ScreenName) -> list[Effect]:
        """The manager menu opens another screen in its place."""
        if self.phase == "screen" and self.screen != name:
            self.screen_from, self.screen, self.message = self.screen, name, ""
        return []

    def cancel(self) -> list[Effect]:
        """Esc: close what is open, or clear the card."""
        self.aside = ""
        if self.phase == "busy":
            assert self.in_flight is not None
            return self._refuse(f"Wait: {_doing(self.in_flight)}. It cannot be stopped now.")
        if self.phase == "screen" and self.screen_from is not None and self.screen != "signin":
            # Back to the manager menu (not from the sign-in: no menu left open, till #4).
            self.screen, self.screen_from, self.message = self.screen_from, None, ""
            return []
        if self.phase in ("entering", "selling", "picking", "confirming", "screen"):
            self._close_overlay()
            self.phase = "card" if self.card else "idle"
            self.message = ""
            return self._deliver()
        self.checking, self.undo_check = None, None
        self.card, self.phase, self.message = None, "idle", ""
        return self._deliver()

    def answered(self, request: int, result: Result) -> list[Effect]:
        """A call's answer (or its error, as a Result with tone "bad")."""
        call = self.in_flight
        if call is None or request != call.id:
            # Late: the shift list shows it; the card panel does not, but says whether it
            # went through, since it said "no answer in time" (core/settled.py).
            late = self.late.pop(request, None)
            if late is None or result.moved is None or not late.moves_money:
                return [RefreshShift()]
            words = settled.late(late.kind, late.words, result.moved)
            return [RefreshShift(), *self.settled(words, "ok" if result.moved else "warn")]
        self.in_flight = None
        if result.card is not None and _own_card(call, result.card):
            self.card = result.card  # the same card read again, or a card just sold or issued
        elif result.clears_card or call.code is not None:
            # A reversal not read again: the card on screen may be another one (the cashier
            # would take the words for it) or its balance is old now.
            self.card = None
        self.phase = "card" if self.card else "idle"
        self.message, self.tone = result.words, result.tone
        if self.pin_notice:  # the result in its own tone; the manager's notice apart
            self.aside, self.pin_notice = f"Manager: {self.pin_notice}", ""
        sound = Sound("bad" if result.tone == "bad" else "good")
        return [sound, RefreshShift(), *self._deliver()]

    def timeout(self, request: int) -> list[Effect]:
        """The call's deadline went by without an answer: it stays to settle; the till goes
        on without a card (its balance on screen may be wrong now)."""
        call = self.in_flight
        if call is None or request != call.id:
            return []
        self.in_flight = None
        self.late[request] = call
        self.card, self.phase = None, "idle"
        self.message, self.tone = (
            unknown.no_answer(call.kind, call.words),  # what to do until it is known
            "warn",
        )
        return [Sound("bad"), RefreshShift(), *self._deliver()]

    def settled(self, words: str, tone: Tone) -> list[Effect]:
        """A movement left not confirmed has settled (core/settled.py's words): said on the
        panel now, in place of what it says, or as soon as nothing is open over it."""
        self.notices.append((words, tone))
        if self.phase not in ("idle", "card"):
            return []
        self.message = ""
        return [Sound("good" if tone == "ok" else "bad"), *self._deliver()]

    def provider_back(self) -> list[Effect]:
        """The status watch reached the provider: a line saying it cannot be reached goes."""
        self.offline = False
        return self.settled(reach.BACK, "ok") if reach.stale(self.phase, self.message) else []

    # --- what the window draws -------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.phase == "busy"

    def waiting(self) -> str:
        """The word beside the busy indicator while a call is waiting; "" when none is."""
        if self.phase == "checking" or self.sale_check is not None:
            return "Asking the provider…"
        if self.phase == "busy" and self.in_flight is not None:
            printing_only = self.in_flight.kind in ("balance", "reprint")  # no provider call
            return "Printing…" if printing_only else "Asking the provider…"
        return ""

    def ok_words(self) -> str:
        """The amount overlay's OK button: what Enter will do, naming card and amount."""
        if self.entry is None:
            return "OK"
        if self.entry.doubt:  # Enter is refused: the OK is off and says what was refused
            refused = self.entry.refused is not None
            return f"Refused: {self.entry.on_show()}" if refused else "Fix the amount first"
        if not self.entry.minor:  # the retrial of a till (7): "Sell a card for $0.00" was on
            return "Type the amount first"
        amount = self.entry.shown()
        if self.purpose == "redeem" and self.card is not None:
            return f"Redeem {amount} from {last_four(self.card.code)}"
        if self.purpose == "refund":
            return f"Refund {amount} to a new card"
        return f"Sell a card for {amount}"

    def money(self, minor: int, currency: str | None = None) -> str:
        return format_money(minor, currency or self.currency, self.locale)

    # --- action handlers -------------------------------------------------------------------

    def _redeem(self) -> list[Effect]:
        card = self._card()
        if card.kind == "item":  # one key moves an item: it waits for Enter
            words = f"Redeem 1 × {card.item_label} from {last_four(card.code)}"
            return self._ask(Request(RedeemItems(card, 1), words))
        self._close_overlay()
        self.phase, self.purpose = "entering", "redeem"
        self.entry = AmountEntry(card.currency, card.eligible_value, self.locale)
        self.message = ""
        return []

    def _use_all(self) -> list[Effect]:
        card = self._card()
        words = f"Redeem the full balance, {self.money(card.eligible_value, card.currency)}, from {last_four(card.code)}"
        self._close_overlay()
        return self._ask(Request(RedeemAll(card, card.eligible_value), words))

    def _cash_out(self) -> list[Effect]:
        card = self._card()
        if refused := cash_policy.refusal(card, self.cash_out, self.locale):  # before any PIN
            return self._refuse(refused)
        amount = self.money(card.eligible_value, card.currency)
        words = f"Pay out {amount} in cash from {last_four(card.code)}"
        return self._ask(Request(CashOut(card, card.eligible_value), words, pin_for="cash_out"))

    def _balance(self) -> list[Effect]:
        card = self._card()
        words = f"Print the balance of {last_four(card.code)}"
        return self._start(Request(PrintBalance(card), words))

    def _reprint(self) -> list[Effect]:
        return self._start(Request(Reprint(self.card), "Reprint the last receipt"))

    def _sell(self) -> list[Effect]:
        if not self.currency:
            return self._refuse("Still connecting to the provider: try again in a moment")
        self.phase, self.purpose = "entering", "sell"
        self.entry = sale_entry(self.currency, self.sale_limits, self.locale)
        self.message = ""
        return []

    def _refund(self) -> list[Effect]:
        if not self.currency:
            return self._refuse("Still connecting to the provider: try again in a moment")
        self.phase, self.purpose = "entering", "refund"
        self.entry = AmountEntry(self.currency, locale=self.locale)
        self.message = ""
        return []

    def _reverse(self) -> list[Effect]:
        self.phase, self.message = "picking", ""
        return []

    def _open(self, screen: ScreenName) -> list[Effect]:
        self.phase, self.screen, self.message = "screen", screen, ""
        self.screen_from = None
        return []

    def _manager(self) -> list[Effect]:
        return self._ask(Request(OpenManager(), "Open the manager menu", pin_for="cards"))

    # --- steps -----------------------------------------------------------------------------

    def _amount_entered(self, email: str) -> list[Effect]:
        assert self.entry is not None
        if self.entry.doubt:  # a key was refused: the amount on show is not what was meant
            return self._refuse(self.entry.fix_first())
        minor = self.entry.minor
        if minor <= 0:
            return self._refuse("Enter an amount above zero")
        if self.purpose == "redeem":
            card = self._card()
            words = f"Redeem {self.entry.shown()} from {last_four(card.code)}"
            # The amount overlay named card and amount on its OK: it is its own confirmation.
            return self._start(Request(Redeem(card, minor), words))
        if self.purpose == "sell":
            refused = amount_refusal(minor, self.sale_limits, self.currency, self.locale)
            if refused:
                self.entry = self.entry.refuse(Refused(refused, minor))  # BackSpace first
                return self._refuse(self.entry.fix_first())
        if self.purpose == "refund":
            words = f"Refund {self.entry.shown()} to a new gift card"
            request = Request(Refund(minor, email.strip() or None), words, pin_for="refund")
            if self._pin_needed(request):
                return self._ask(request)
            return self._start(request)
        return self._wait_for_card_to_sell(minor, None)

    def _wait_for_card_to_sell(self, amount: int, pricebook: str | None) -> list[Effect]:
        self.entry, self.purpose = None, None
        self.selling = Selling(amount, pricebook)
        self.phase = "selling"
        self.message, self.tone = (
            f"Now scan the new gift card to sell it for {self.money(amount)} (Esc cancels)",
            "ok",
        )
        return []

    def _scan_to_sell(self, text: str) -> list[Effect]:
        sale = self.selling
        if sale is None:  # confirming a sale: another card scanned in its place
            assert self.pending is not None
            assert isinstance(self.pending.job, Sell)
            sale = Selling(self.pending.job.amount, self.pending.job.pricebook)
        found = self.patterns.extract(text)
        if not isinstance(found, CardRef):
            return self._refuse(f"{found.reason}: scan the new card again")
        words = f"Sell {last_four(found.value)} for {self.money(sale.amount)}"
        # Looked up first (issue 19.4): a card already sold is said before the confirm.
        self.selling, self.pending, self.pin_check = sale, None, None
        self.phase = "selling"
        self.sale_check = (self._next_id(), Request(Sell(text, sale.amount, sale.pricebook), words))
        self.message, self.tone = f"Checking {last_four(found.value)}…", "muted"
        return [CheckSale(self.sale_check[0], text)]

    def sale_checked(self, request: int, problem: str | None) -> list[Effect]:
        """The card scanned to sell, as the provider knows it: free to sell (the confirm
        asks for Enter), or sold already (said; another card may be scanned, Esc cancels)."""
        if self.sale_check is None or request != self.sale_check[0] or self.selling is None:
            return []  # another card scanned since, or the sale cancelled
        sale, self.sale_check = self.sale_check[1], None
        if problem is not None:
            return self._refuse(problem)
        self.selling = None
        return self._ask(sale)

    def _confirm_reversal(self, found: Reversible) -> list[Effect]:
        """A redemption or cash-out reversed, or a card sold or issued voided: named, with
        when it was made (and the day, for an earlier shift's: the PIN is then always asked)."""
        amount = found.moved(self.locale)
        at = f" made at {found.at}" if found.at else ""
        if found.earlier:
            at = f" made {found.earlier}{' at ' + found.at if found.at else ''}"
        if found.operation in ("activation", "issue"):
            # Short: the words are the confirm's OK button too, which must fit 1024 px.
            card = "card sold" if found.operation == "activation" else "refund card"
            when = f", {found.at}" if found.at else ""
            words = f"Void the {card} {last_four(found.code)} ({amount}{when}) and close it"
            undo: type[Reverse | Void] = Void
        else:
            what = transaction(found.operation).lower()
            words = f"Reverse the {what} of {amount} on {last_four(found.code)}{at}"
            undo = Reverse
        of_items = found.quantity is not None
        job = undo(
            found.entry_id,
            found.code,
            detail=before_undo(found.operation, amount, items=of_items),
            after=after_undo(found.operation, amount, items=of_items),
        )
        request = Request(job, words, pin_for="reverse", pin_always=bool(found.earlier))
        # Its card looked up before the PIN is asked (undo_checked): one closed since is said.
        self.undo_check = (self._next_id(), request)
        self.message, self.tone = f"Checking {last_four(found.code)}…", "muted"
        return [CheckUndo(self.undo_check[0], found.entry_id)]

    def undo_checked(self, request: int, problem: str | None) -> list[Effect]:
        """The card of a transaction to undo, as the provider knows it now: the confirm (and
        PIN) when it can be undone, else why not, with nothing open (terminal/reversal.py)."""
        if self.undo_check is None or request != self.undo_check[0]:
            return []  # a scan, Esc or another pick since
        wanted, self.undo_check = self.undo_check[1], None
        if problem is None:
            return self._ask(wanted)
        self._close_overlay()
        self.phase = "card" if self.card else "idle"
        return self._refuse(problem)

    def _ask(self, request: Request) -> list[Effect]:
        """The confirm overlay: Enter accepts (with the PIN, where the config asks one)."""
        if self.offline and request.moves_money and self._pin_needed(request):
            return self._refuse(reach.OFFLINE_FIRST)  # before the PIN, not after it
        if not self._pin_needed(request):
            request = replace(request, pin_for=None)
        elif not self.pin_set:  # a receipt scanned to reverse: no PIN pad that cannot open
            self._close_overlay()
            self.phase = "card" if self.card else "idle"
            return self._refuse(no_pin(NEEDS_PIN.get(request.kind, request.words)))
        self.entry, self.purpose = None, None
        self.pending, self.pin_check = request, None
        self.phase, self.message = "confirming", ""
        return []

    def _start(self, request: Request) -> list[Effect]:
        self._close_overlay()
        if request.kind == "open_manager":
            return self._open("manager")
        if self.in_flight is not None:  # cannot happen from a phase that allowed it; kept safe
            return self._refuse(f"Wait: {_doing(self.in_flight)}")
        self.in_flight = replace(request, id=self._next_id())
        self.phase = "busy"
        self.message, self.tone = _doing(self.in_flight) + "…", "muted"
        return [Move(self.in_flight)]

    # --- helpers ---------------------------------------------------------------------------

    def _open_words(self) -> str:
        """What the open overlay was about to do, naming card and amount ("Redeem $5.00
        from ••0001"); "" when nothing is open."""
        entry = self.entry
        if self.phase == "entering" and entry is not None:
            typed = entry.minor and not entry.doubt  # an amount in doubt is named by none
            amount = f" {entry.shown()}" if typed else ""
            if self.purpose == "redeem" and self.card is not None:
                return f"Redeem{amount} from {last_four(self.card.code)}"
            if self.purpose == "refund":
                return f"Refund{amount} to a new card"
            return f"Sell a card{' for' + amount if amount else ''}"
        if self.phase == "confirming" and self.pending is not None:
            return self.pending.words
        if self.phase == "picking":
            return "Reverse a transaction"
        return ""

    def _deliver(self) -> list[Effect]:
        """What settled while something was open, said after what is said now."""
        if self.phase not in ("idle", "card") or not self.notices:
            return []
        notices, self.notices = self.notices, []
        tones = {tone for _words, tone in notices} | ({self.tone} if self.message else set())
        self.message = _sentences(self.message, *(words for words, _tone in notices))
        self.tone = next((t for t in ("bad", "warn") if t in tones), "ok")
        return []

    def _pin_needed(self, request: Request) -> bool:
        return request.pin_for is not None and (
            request.pin_always or request.pin_for in self.pin_for
        )

    def _close_overlay(self) -> None:
        self.entry, self.purpose, self.selling, self.sale_check = None, None, None, None
        self.pending, self.pin_check, self.screen = None, None, None
        self.screen_from, self.undo_check = None, None

    def _card(self) -> Gift:
        assert self.card is not None, "the action table enables this only with a card"
        return self.card

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def _say(self, words: str, tone: Tone) -> list[Effect]:
        self.message, self.tone = words, tone
        return []

    def _refuse(self, words: str) -> list[Effect]:
        self.message, self.tone = words, "bad"
        return [Sound("bad")]

    def _why_not(self, act: Action) -> str:
        if self.phase == "busy":
            assert self.in_flight is not None
            return f"Wait: {_doing(self.in_flight)}"
        if self.phase == "checking":
            return "Wait: the card is being checked"
        if self.phase not in ("idle", "card"):
            return f"{act.label} is not open here: finish this first, or Esc to cancel"
        if self.card is None:
            return f"{act.label}: scan a gift card first"
        return self.card.why_not_redeemable() or f"{act.label} does not apply to this card"


def _own_card(call: Request, card: Gift) -> bool:
    """An answer paints only its own request's card: the card it acted on, the reversed
    transaction's card, or (a sale, a refund) the card it just made."""
    if call.card is not None:
        return card.id == call.card.id
    if call.code is not None:
        return card.code == call.code
    return call.kind in ("activation", "issue")


def _cancelled(words: str, had_card: bool, card: bool = True) -> str:
    """ "another card" only when there was one before (the demo retrial, 108: a refund to a
    new card, no card on screen, said "as another card was scanned"); a scan that is no card
    (an ISBN, a scratch) says so (the retrial of a till, 5)."""
    scanned = "another card" if had_card else "a card"
    why = f"{scanned} was scanned" if card else "a scan came in that is not a card"
    return f"Cancelled: {words}, as {why}." if words else ""


def _sentences(*parts: str) -> str:
    """Words one after the other, each ending as a sentence does."""
    said = [p for p in parts if p]
    if len(said) < 2:
        return "".join(said)
    return " ".join(p if p.endswith((".", "…", "!", "?")) else p + "." for p in said)


def _doing(call: Request) -> str:
    return call.words[0].lower() + call.words[1:] if call.words else call.kind


# --- the action table ----------------------------------------------------------------------


def _free(till: Till) -> bool:
    return till.phase in ("idle", "card")


def _with_card(till: Till) -> bool:
    return _free(till) and till.card is not None


def _can_pay(till: Till) -> bool:
    return _with_card(till) and till.card is not None and till.card.is_redeemable


def _can_pay_money(till: Till) -> bool:
    return _can_pay(till) and till.card is not None and till.card.kind == "monetary"


def _redeem_words(till: Till) -> str:
    """Redeem names the card, and on an item gift the item one key takes ("1 × Coffee")."""
    card = till.card
    if card is None or not _can_pay(till):
        return (_with_card(till) and unusable.label("Redeem", card)) or "Redeem"
    if card.kind == "item":
        return f"Redeem 1 × {card.item_label or 'item'} from {last_four(card.code)}"
    return f"Redeem from {last_four(card.code)}"


def _money_words(verb: str, label: str) -> Callable[[Till], str]:
    """A money-only action names card and amount; on an item gift, which holds no money
    ("Use all $0.00" before), it says it is for money cards and stays off."""

    def words(till: Till) -> str:
        card = till.card
        if card is None or not _can_pay(till):
            return (_with_card(till) and unusable.label(label, card)) or label
        if card.kind != "monetary":
            return f"{label}: money cards only"
        return (
            f"{verb} {till.money(card.eligible_value, card.currency)} from {last_four(card.code)}"
        )

    return words


ACTIONS: tuple[Action, ...] = (
    Action("redeem", "Redeem", "F2", _can_pay, Till._redeem, _redeem_words),
    Action(
        "use_all",
        "Use full balance",
        "F3",
        _can_pay_money,
        Till._use_all,
        _money_words("Use all", "Use full balance"),
    ),
    Action("balance", "Print balance", "F4", _with_card, Till._balance),
    Action("sell", "Sell card", "F5", _free, Till._sell),
    Action("refund", "Refund to card", "F6", _free, Till._refund),
    Action("reverse", "Reverse", "F7", _free, Till._reverse),
    Action(
        "cash_out",
        "Cash out",
        "F8",
        _can_pay_money,
        Till._cash_out,
        _money_words("Cash out", "Cash out"),
    ),
    Action("reprint", "Reprint", "F9", _free, Till._reprint),
    Action("reports", "Reports", "F10", _free, lambda till: till._open("reports")),
    Action("manager", "Manager", "F12", _free, Till._manager),
)
ACTION_BY_NAME = {a.name: a for a in ACTIONS}
