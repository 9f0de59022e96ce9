"""The till: what the cashier screen does, as one pure state machine (house rule 13). No Tk.

The window sends events (a scan, an action key, an amount key, Enter, Esc, the answer of
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

Split by concern: the state and its shared steps in core/till_state.py, the action table in
core/actions.py, requests in core/till_request.py, events and effects in core/till_events.py,
sentences in core/till_words.py, the scan and its check in core/till_scan.py. This module
keeps the events: `handle(event)` and a method for each, which tests drive directly too.
"""

from __future__ import annotations

from typing import assert_never

from posapp.core import actions, card_pin_steps, reach, settled, till_sale, unknown
from posapp.core import till_events as ev
from posapp.core import till_offline as offline_steps
from posapp.core.card_pin import CardPin
from posapp.core.gift import Gift
from posapp.core.money import AmountError
from posapp.core.no_pin import NEEDS_PIN, PIN_FOR_ACTION, no_pin
from posapp.core.open_key import already_open
from posapp.core.serial_number import short
from posapp.core.till_events import (
    ActionName,
    CheckPin,
    Effect,
    RefreshShift,
    ScreenName,
    Sound,
)
from posapp.core.till_request import Result, Reversible, Tone
from posapp.core.till_scan import TillScan
from posapp.core.till_words import doing, ok_words, sentences, waiting
from posapp.i18n import _

# The keys of the sell overlay's denominations, in the config's order (issue 19.15: they had
# none). Letters: digits and the decimal mark type an amount there, F-keys are the actions.
DENOMINATION_KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Till(TillScan):
    """The cashier screen's state (core/till_state.py), and the events that change it (the
    scan and its check's answers in core/till_scan.py)."""

    # --- events ----------------------------------------------------------------------------

    def handle(self, event: ev.TillEvent) -> list[Effect]:
        """One event in, the effects for the window to carry out back (redesign §4.2); a
        card's PIN is kept for the card on screen only (card_pin_steps.forget)."""
        effects = self._handle(event)
        card_pin_steps.forget(self)
        return effects

    def _handle(self, event: ev.TillEvent) -> list[Effect]:
        match event:
            case ev.Attached():
                return self.attached()
            case ev.CurrencyKnown(currency):
                self.currency_known(currency)
                return []
            case ev.CashOutKnown(policy):
                self.cash_out = policy
                return []
            case ev.ProviderOffline():
                self.offline = True  # a call that asks the PIN says so before it (reach.py)
                return offline_steps.went_offline(self)
            case ev.ProviderBack():
                return self.provider_back()
            case ev.PinSet(is_set):
                self.pin_set = is_set
                return []
            case ev.Scan(text, now):
                return self.scan(text, now)
            case ev.CardFound(request, gift, notice, pin):
                return self.card_found(request, gift, notice, pin)
            case ev.CardPinAsked(request, text, words, wrong):
                return card_pin_steps.asked(self, request, text, words, wrong)
            case ev.CardPinKey(key):
                return card_pin_steps.key(self, key)
            case ev.TransactionFound(request, found):
                return self.transaction_found(request, found)
            case ev.CheckFailed(request, words, card):
                return self.check_failed(request, words, card)
            case ev.CardSeen(request=request, code=code, words=words) if self.in_sale:
                # A sale's card pays online only (Sales.pay): not reached, it cannot pay now.
                return self.check_failed(request, words, short(code))
            case ev.CardSeen() | ev.OfflineKnown():
                return offline_steps.handle(self, event)
            case ev.ActionKey(name):
                return self.action(name)
            case ev.AmountKey(key):
                return self.amount_key(key)
            case ev.ChooseDenomination(pricebook):
                return self.choose_denomination(pricebook)
            case ev.Confirm(pin, email, pick, ticket):
                return self.confirm(pin=pin, email=email, pick=pick, ticket=ticket)
            case ev.PinChecked(request, problem, notice):
                return self.pin_checked(request, problem, notice)
            case ev.SaleChecked(request, problem):
                return self.sale_checked(request, problem)
            case ev.UndoChecked(request, problem, sale):
                return self.undo_checked(request, problem, sale)
            case ev.ShowScreen(name):
                return self.show_screen(name)
            case ev.Cancel():
                return self.cancel()
            case ev.Answered(request, result):
                return self.answered(request, result)
            case ev.Timeout(request):
                return self.timeout(request)
            case ev.SaleResumed(sale):
                return till_sale.sale_resumed(self, sale)
            case ev.SaleRead(sale):
                return till_sale.sale_read(self, sale)
            case ev.Settled(words, tone):
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

    def action(self, name: ActionName) -> list[Effect]:
        """An action key or button (ACTIONS)."""
        self.aside = ""
        act = actions.ACTION_BY_NAME[name]
        if not self.ready:
            return self._refuse(_("Starting… one moment"))
        if self.in_sale and self.phase in ("idle", "card") and name not in ("balance", "sale"):
            return self._refuse(till_sale.in_sale_words(self))  # before offline's own steps
        if (offline := offline_steps.action(self, name)) is not None:
            return offline
        if name == "use_all" and self.phase == "entering" and self.purpose == "redeem":
            return act.handler(self)  # "All (F3)" on the amount overlay
        if not act.enabled(self):  # its key again on what it opened: nothing to do or say
            return [] if already_open(name, self) else self._refuse(actions.why_not(self, act))
        if not self.pin_set and PIN_FOR_ACTION.get(name) in self.pin_for:
            return self._refuse(no_pin(NEEDS_PIN[name]))  # before its PIN pad, not after
        return act.handler(self)

    def amount_key(self, key: str) -> list[Effect]:
        """A key on the amount overlay: digits, the decimal mark, BackSpace."""
        if self.phase != "entering" or self.entry is None:
            return []
        if self.purpose == "pay":
            return till_sale.pay_key(self, key)
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
        return actions.wait_for_card_to_sell(self, amount, pricebook)

    def confirm(
        self, *, pin: str = "", email: str = "", pick: Reversible | None = None, ticket: str = ""
    ) -> list[Effect]:
        """Enter, or the overlay's OK button; in a sale with nothing open, finish it."""
        if self.phase == "entering":
            return actions.amount_entered(self, email, ticket)
        if self.phase in ("idle", "card") and self.in_sale:
            return till_sale.ask_finish(self)
        if self.phase == "card_pin":
            return card_pin_steps.enter(self)
        if self.phase == "picking":
            if pick is None:
                return self._refuse(_("Choose a transaction first"))
            return actions.confirm_reversal(self, pick)
        if self.phase != "confirming" or self.pending is None:
            return []
        if self.pending.pin_for is None:
            return self._start(self.pending)
        if self.pin_check is not None:
            return []  # the PIN is being checked
        if not pin:
            return self._refuse(_("Enter the manager PIN"))
        self.pin_check = self._next_id()
        self.message, self.tone = _("Checking the PIN…"), "muted"
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
            words = _("Wait: {doing}. It cannot be stopped now.")
            return self._refuse(words.format(doing=doing(self.in_flight)))
        if self.phase == "screen" and self.screen_from is not None and self.screen != "signin":
            # Back to the manager menu (not from the sign-in: no menu left open, till #4).
            self.screen, self.screen_from, self.message = self.screen_from, None, ""
            return []
        if self.phase in ("entering", "selling", "picking", "confirming", "screen"):
            self.message = till_sale.escaped(self)  # what Esc left undone, before it closes
            self._close_overlay()
            self.phase = "card" if self.card else "idle"
            return self._deliver()
        if self.phase in ("idle", "card") and self.in_sale:
            return till_sale.ask_cancel(self)  # the sale, not just the card on screen
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
            till_sale.sale_late(self, result)
            if late is None or result.moved is None or not late.moves_money:
                return [RefreshShift()]
            words = settled.late(late.kind, late.words, result.moved)
            return [RefreshShift(), *self.settled(words, "ok" if result.moved else "warn")]
        self.in_flight = None
        if result.card is not None and call.owns(result.card):
            self.card = result.card  # the same card read again, or a card just sold or issued
        elif result.clears_card or call.code is not None:
            # A reversal not read again: the card on screen may be another one (the cashier
            # would take the words for it) or its balance is old now.
            self.card = None
        self.phase = "card" if self.card else "idle"
        self.message, self.tone = result.words, result.tone
        if self.pin_notice:  # the result in its own tone; the manager's notice apart
            self.aside = _("Manager: {notice}").format(notice=self.pin_notice)
            self.pin_notice = ""
        sound = Sound("bad" if result.tone == "bad" else "good")
        return [
            sound,
            RefreshShift(),
            *self._deliver(),
            *till_sale.sale_answered(self, call, result),
        ]

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
        reread = [ev.ReadSale()] if call.kind.startswith("sale_") else []
        return [Sound("bad"), RefreshShift(), *self._deliver(), *reread]

    def settled(self, words: str, tone: Tone) -> list[Effect]:
        """A movement left not confirmed has settled (core/settled.py's words): said on the
        panel now, in place of what it says, or as soon as nothing is open over it. In a
        sale, the sale is read again: the movement may be one of its payments."""
        self.notices.append((words, tone))
        reread: list[Effect] = [ev.ReadSale()] if self.in_sale else []
        if self.phase not in ("idle", "card"):
            return reread
        self.message = ""
        return [Sound("good" if tone == "ok" else "bad"), *self._deliver(), *reread]

    def provider_back(self) -> list[Effect]:
        """The status watch reached the provider: a line saying it cannot be reached goes."""
        self.offline = False
        words = offline_steps.back(self) or reach.back(self.phase, self.message)
        return self.settled(words, "ok") if words else []

    # --- what the window draws -------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.phase == "busy"

    def waiting(self) -> str:
        """The word beside the busy indicator while a call is waiting; "" when none is."""
        phase = "checking" if self.checking is not None else self.phase  # a PIN too
        return waiting(phase, self.sale_check is not None, self.in_flight)

    def ok_words(self) -> str:
        """The amount overlay's OK button: what Enter will do, naming card and amount."""
        if self.purpose == "pay":
            return till_sale.pay_ok_words(self)
        return ok_words(self.entry, self.purpose, self.card)

    def card_found(
        self, request: int, gift: Gift, notice: str = "", pin: CardPin | None = None
    ) -> list[Effect]:
        """A card found: in a sale, its payment offered (core/till_sale.py)."""
        if not self.in_sale or request != self.checking:
            return super().card_found(request, gift, notice, pin)
        self.checking = None
        card_pin_steps.found(self, gift.id, pin)
        effects = till_sale.sale_card(self, gift)
        self.message, self.dropped = sentences(self.dropped, notice, self.message), ""
        return [*effects, *self._deliver()]
