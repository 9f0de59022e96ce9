"""The till's state (core/till.py) and the steps every event and action shares: ask for a
confirm, start a call, refuse in words, close what is open. `Till` adds the events;
core/actions.py the action table, whose handlers are functions of this state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from msgspec.structs import replace

from posapp.core import cash_out as cash_policy
from posapp.core import reach
from posapp.core.card_pin import CardPin, CardPinEntry, PinPadView, pin_pad_view
from posapp.core.cardview import CardView, card_view
from posapp.core.cash_out_law import NO_LAW, CashOutLaw, StoreLaw
from posapp.core.gift import Gift
from posapp.core.keypad import AmountEntry
from posapp.core.money import format_money
from posapp.core.no_pin import NEEDS_PIN, no_pin
from posapp.core.offers import ALL, Offers
from posapp.core.offline_card import OfflineTill, seen_view
from posapp.core.sale import Sale
from posapp.core.sale_view import SaleView, sale_view
from posapp.core.serial_number import short
from posapp.core.serials import CardRef, SerialPatterns
from posapp.core.till_events import Effect, Move, ScreenName, Sound
from posapp.core.till_request import Request, Selling, Tone
from posapp.core.till_words import Purpose, doing, sentences
from posapp.i18n import _

Phase = Literal[
    "idle",  # no card on screen
    "checking",  # a scan is being checked with the provider
    "card",  # a card on screen, nothing open
    "entering",  # the amount overlay (redeem, sell, refund)
    "selling",  # a denomination or amount chosen: waiting for the new card's scan
    "picking",  # the overlay that picks one of the shift's transactions (reverse)
    "confirming",  # the confirm overlay (with the manager PIN where the config asks)
    "card_pin",  # the card scanned needs its own PIN: the masked keypad, no card shown
    "busy",  # a call that moves money or prints is in flight
    "screen",  # a manager screen (reports, gift cards, settings, receipt preview)
]


@dataclass
class TillState:
    """The state of the cashier screen."""

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
    offers: Offers = ALL  # what the provider's API has a call for (core/offers.py)
    # Selling offline (issue 24, core/till_offline.py): the store's rules, the shift's total,
    # the manager's switch, and the card shown as last seen online.
    selling_offline: OfflineTill = field(default_factory=OfflineTill)
    law: StoreLaw = NO_LAW  # [store] jurisdiction and the day: its cash-out law

    phase: Phase = "idle"
    card: Gift | None = None
    checking: int | None = None  # the check being waited for
    entry: AmountEntry | None = None
    purpose: Purpose | None = None
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
    # One sale paid card by card (issue 23, core/till_sale.py): the sale open, as the last
    # answer said it; `offered`: the pay overlay still shows the offer, untouched.
    open_sale: Sale | None = None
    offered: bool = False
    screen: ScreenName | None = None
    screen_from: ScreenName | None = None  # the screen this one was opened from: Esc goes back
    message: str = ""
    tone: Tone = "ok"
    late: dict[int, Request] = field(default_factory=dict)  # deadline went by unanswered
    # What settled meanwhile (core/settled.py's words), said once nothing is open over the
    # panel (issue 19.10: "NOT CONFIRMED" stayed on it after the settle).
    notices: list[tuple[str, Tone]] = field(default_factory=list)
    # The scans as they came (not in the repr: a scan may carry a card's PIN, issue 21).
    waiting_scan: str | None = field(default=None, repr=False)  # before the engine was ready
    dropped: str = ""  # what a scan cancelled, said until the scanned card is shown
    last_scan: tuple[str, float] = field(default=("", -1e9), repr=False)
    # The card's own PIN (issue 21 point 3, core/card_pin_steps.py): while "card_pin", what
    # is typed, the scan to check again and the PIN sent with that check; then the card
    # on screen's id and PIN, in memory only, forgotten when the card goes.
    pin_pad: CardPinEntry | None = None
    pin_scan: str = field(default="", repr=False)
    pin_tried: CardPin | None = None
    card_pin: tuple[str, CardPin] | None = None
    _ids: int = 0
    _view: tuple[Gift, CashOutLaw | None, CardView] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def view(self) -> CardView | None:
        """The card on screen in core/cardview.py's words, made once for each card the till
        shows (the panel draws it; the till's own words read its `why`)."""
        if self.card is None:
            return None
        law = self.cash_law  # a day can change it (California, 1 April 2026)
        if self._view is None or self._view[0] is not self.card or self._view[1] != law:
            seen = self.selling_offline.seen_card(self.card)  # shown as last seen online
            view = seen_view(self.selling_offline, seen, self.locale) if seen else None
            self._view = (self.card, law, view or card_view(self.card, self.locale, law))
        return self._view[2]

    @property
    def cash_law(self) -> CashOutLaw | None:
        """The law that entitles the card on screen's holder to its balance in cash today:
        F8 offers the cash-out then whatever the store's own policy (the law wins)."""
        return self.law.for_card(self.card)

    @property
    def in_sale(self) -> bool:
        """A sale is open (core/till_sale.py): the panel shows it, the keys serve it."""
        return self.open_sale is not None and self.open_sale.is_open

    @property
    def sale_view(self) -> SaleView | None:
        """The open sale in core/sale_view.py's words, for the panel; None outside one."""
        sale = self.open_sale
        return sale_view(sale, self.locale) if sale is not None and sale.is_open else None

    @property
    def pin_pad_view(self) -> PinPadView | None:
        """The card PIN overlay's view model, while it is open."""
        if self.phase != "card_pin" or self.pin_pad is None:
            return None
        ref = self.patterns.extract(self.pin_scan)
        card = short(ref.value) if isinstance(ref, CardRef) and ref.lookup == "code" else ""
        return pin_pad_view(self.pin_pad, self.message, self.tone, self.checking is not None, card)

    def pin_of(self, card: Gift | None) -> CardPin | None:
        """The PIN the card on screen was found with, for a call on that card only."""
        kept = self.card_pin
        if card is None or kept is None or self.card is None or kept[0] != card.id:
            return None
        return kept[1] if self.card.id == card.id else None

    def card_pin_for(self, request: Request) -> CardPin | None:
        """The PIN of the card on screen for a request on it: a movement on that card, or
        the undoing of one of its transactions (by its code); else None."""
        if request.card is not None or self.card is None or request.code != self.card.code:
            return self.pin_of(request.card)
        return self.pin_of(self.card)

    def money(self, minor: int, currency: str | None = None) -> str:
        return format_money(minor, currency or self.currency, self.locale)

    # --- steps shared by events and actions --------------------------------------------------

    def _ask(self, request: Request) -> list[Effect]:
        """The confirm overlay: Enter accepts (with the PIN, where the config asks one)."""
        if self.offline and request.moves_money and self._pin_needed(request):
            return self._refuse(_(reach.OFFLINE_FIRST))  # before the PIN, not after it
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
            return self._refuse(_("Wait: {doing}").format(doing=doing(self.in_flight)))
        self.in_flight = replace(request, id=self._next_id())
        self.selling_offline.started(request.job)  # the shift's offline total (issue 24)
        self.phase = "busy"
        self.message, self.tone = _("{doing}…").format(doing=doing(self.in_flight)), "muted"
        return [Move(self.in_flight, pin=self.card_pin_for(request))]

    def _open(self, screen: ScreenName) -> list[Effect]:
        self.phase, self.screen, self.message = "screen", screen, ""
        self.screen_from = None
        return []

    def _deliver(self) -> list[Effect]:
        """What settled while something was open, said after what is said now."""
        if self.phase not in ("idle", "card") or not self.notices:
            return []
        notices, self.notices = self.notices, []
        tones = {tone for _words, tone in notices} | ({self.tone} if self.message else set())
        self.message = sentences(self.message, *(words for words, _tone in notices))
        self.tone = next((t for t in ("bad", "warn") if t in tones), "ok")
        return []

    def _pin_needed(self, request: Request) -> bool:
        return request.pin_for is not None and (
            request.pin_always or request.pin_for in self.pin_for
        )

    def _close_overlay(self) -> None:
        self.entry, self.purpose, self.selling, self.sale_check = None, None, None, None
        self.offered = False
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
