"""The till's scan and its check (core/till.py): a scan starts a check, or goes to the sale
overlay or a manager screen; the check's answers (a card, a receipt's transaction, a refusal,
a card to sell looked up, a transaction to undo looked up) put it on screen or say why not.

A mixin of `TillState` (core/till_state.py); `Till` (core/till.py) routes the events here.
Pure, no Tk."""

from __future__ import annotations

from msgspec.structs import replace

from posapp.core import actions, card_pin_steps, till_sale, till_words, unusable
from posapp.core.card_pin import CardPin
from posapp.core.gift import Gift
from posapp.core.serials import CardRef
from posapp.core.till_events import Check, Effect, Sound, ToScreen
from posapp.core.till_request import Reverse, Reversible
from posapp.core.till_state import TillState
from posapp.core.till_words import cancelled, doing, open_words, sentences
from posapp.i18n import _

SAME_CARD_WINDOW_S = 2.0  # the same text scanned twice within 2 s is one scan (a double read)


class TillScan(TillState):
    """The scan and the answers of its check."""

    def scan(self, text: str, now: float) -> list[Effect]:
        """A scan: the wedge, the serial reader, or the scan field and Enter."""
        self.aside = ""
        text = text.strip()
        if not text:  # Enter on the empty scan field: in a sale, finish it (it asks first)
            free = self.in_sale and self.phase in ("idle", "card")
            return till_sale.ask_finish(self) if free else []
        if not self.ready:
            self.waiting_scan = text
            return self._say(_("Starting… the scan is checked in a moment"), "warn")
        if self.phase == "busy":
            assert self.in_flight is not None
            return self._refuse(
                _("Wait: {doing}. Scan again after.").format(doing=doing(self.in_flight))
            )
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
            return actions.scan_to_sell(self, text)
        # What was open is for the card before: it closes, and says so (issue 19.12: the
        # amount typed went without a word and the next key acted on another card).
        # A scan during the check of the one that cancelled keeps saying what it cancelled.
        kept = self.dropped if self.phase == "checking" else ""
        card = isinstance(self.patterns.extract(text), CardRef)
        self.dropped = (
            cancelled(
                open_words(self.phase, self.entry, self.purpose, self.card, self.pending),
                self.card is not None,
                card,
            )
            or kept
        )
        self._close_overlay()
        self.card = None  # the card on screen is the last successful scan, or none
        self.phase = "checking"
        self.checking = self._next_id()
        self.message = sentences(self.dropped, _("Checking the card…"))
        self.tone = "warn" if self.dropped else "muted"
        return [Check(self.checking, text)]

    def card_found(
        self, request: int, gift: Gift, notice: str = "", pin: CardPin | None = None
    ) -> list[Effect]:
        if request != self.checking:
            return []  # a scan that another one replaced
        self.checking = None
        card_pin_steps.found(self, gift.id, pin)
        self.card, self.phase = gift, "card"
        # A card that cannot pay says what it holds and why ("$40.00 held, expired ...").
        why = self.view.why if self.view is not None else ""
        self.message = sentences(self.dropped, notice, *unusable.on_panel(why, gift))
        self.tone = "warn" if self.message else "ok"
        self.dropped = ""
        return [Sound("good"), *self._deliver()]

    def transaction_found(self, request: int, found: Reversible) -> list[Effect]:
        """The scan was a receipt's transaction barcode: offer to reverse that transaction."""
        if request != self.checking:
            return []
        self.checking = None
        self.phase = "idle"
        if self.in_sale:  # a sale's payments are undone together: Esc cancels the sale
            return self._refuse(till_sale.in_sale_words(self))
        return [Sound("good"), *actions.confirm_reversal(self, found)]

    def check_failed(self, request: int, words: str, card: str = "") -> list[Effect]:
        if request != self.checking:
            return []
        self.checking = None
        self.card, self.phase = None, "idle"
        words = till_sale.refused_in_sale(self, words, card_said=False)  # a sale's words
        said, self.dropped = sentences(till_words.refused(words, card), self.dropped), ""
        return [*self._refuse(said), *self._deliver()]

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

    def undo_checked(
        self, request: int, problem: str | None, sale: str | None = None
    ) -> list[Effect]:
        """The card of a transaction to undo, as the provider knows it now: the confirm (and
        PIN) when it can be undone, else why not, with nothing open (terminal/reversal.py)."""
        if self.undo_check is None or request != self.undo_check[0]:
            return []  # a scan, Esc or another pick since
        wanted, self.undo_check = self.undo_check[1], None
        if problem is None:
            if sale and isinstance(wanted.job, Reverse):  # a finished sale's: it says so
                job = replace(wanted.job, detail=sentences(sale, wanted.job.detail))
                wanted = replace(wanted, job=job)
            return self._ask(wanted)
        self._close_overlay()
        self.phase = "card" if self.card else "idle"
        return [*self._refuse(problem), *self._deliver()]  # and what settled meanwhile
