"""Gift cards (product.md, "Screens" 4; the admin token): search by code or its last four,
page and scroll through, create, enable or disable, change expiry, adjust the balance with a
reason, cancel. The use cases are posapp/terminal/gift_cards.py's, run off the Tk thread.

With Square or Adyen (no admin calls of ours), or without the admin token, nothing here can
work: the buttons are off and the words say where the store's cards are managed (issue 19.14:
they looked active)."""

from __future__ import annotations

import functools
import tkinter as tk
import uuid
from collections.abc import Callable
from tkinter import ttk
from typing import Any, TypeVar

from posapp.core import glossary
from posapp.core.card_search import Search, new_code, search_for, shown
from posapp.core.gift import Gift
from posapp.core.money import format_money
from posapp.core.serial_number import short
from posapp.i18n import N_, _
from posapp.terminal import gift_cards
from posapp.ui import card_changes
from posapp.ui.card_rows import card_row, coded, listed
from posapp.ui.forms import FormOverlay
from posapp.ui.host import ScreenHost
from posapp.ui.screen import Screen

T = TypeVar("T")

# A form's field labels are its values' keys, said by the form with _() (ui/forms.py).
EXPIRES = N_("Expires (YYYY-MM-DD, optional)")
ROWS = 10  # rows on show; a page of gift_cards.PAGE scrolls


class CardsScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _("Gift cards"))
        self.admin = window.services_.admin
        # A manager's money changes go through the journal (issue 19.2): terminal/adjustment.
        self.changes = window.services_.changes
        self.locale = window.locale
        self.found = Search()  # what the list shows
        self.pages: list[str | None] = [None]  # each page's "after": ◀ goes back one
        self.more = False
        self.query = tk.StringVar(self)
        panel = self.panel
        panel.columnconfigure(0, weight=1)
        panel.rowconfigure(2, weight=1)
        self.search_field = ttk.Entry(panel, textvariable=self.query, width=24)
        self.search_field.grid(row=1, column=0, sticky="ew")
        self.search_button = ttk.Button(panel, text=_("Search (Enter)"), command=self.search)
        self.back_button = ttk.Button(panel, text=_("◀ Page"), command=self.back)
        self.next_button = ttk.Button(panel, text=_("Page ▶"), command=self.forward)
        for i, button in enumerate((self.search_button, self.back_button, self.next_button)):
            button.grid(row=1, column=1 + i, padx=3)
        listing = ttk.Frame(panel, style="Panel.TFrame")
        listing.grid(row=2, column=0, columnspan=4, sticky="nsew", pady=6)
        listing.rowconfigure(0, weight=1)
        listing.columnconfigure(0, weight=1)
        columns = ("code", "status", "balance", "expires")
        self.tree = ttk.Treeview(listing, columns=columns, show="headings", height=ROWS)
        # Status as wide as its longest words, "Not usable until 5 janv. 2027" (the demo
        # retrial, 59: cut in a 150 px column; French dates are longer).
        headings = (_("Code"), _("Status"), _("Balance"), _("Expires"))
        for column, heading, width in zip(columns, headings, (260, 300, 140, 120), strict=True):
            self.tree.heading(column, text=heading)
            self.tree.column(column, width=width, stretch=False)
        self.tree.grid(row=0, column=0, sticky="nsew")
        # A page holds more rows than show: the list scrolls (the 12th row was out of reach).
        self.scrollbar = ttk.Scrollbar(listing, orient="vertical", command=self.tree.yview)
        self.scrollbar.grid(row=0, column=1, sticky="ns")
        self.tree.configure(yscrollcommand=self.scrollbar.set)
        buttons = ttk.Frame(panel, style="Panel.TFrame")
        buttons.grid(row=3, column=0, columnspan=4, sticky="ew")
        self.actions: dict[str, ttk.Button] = {}
        for i, (words, command) in enumerate(
            (
                (N_("Create"), self.create),
                (N_("Enable / disable"), self.toggle),
                (N_("Expiry"), self.expiry),
                (N_("Adjust balance"), self.adjust),
                (N_("Cancel card"), self.cancel_card),
                (N_("Close (Esc)"), window.escape),
            )
        ):  # keyed by the English words; each says its own language's
            button = ttk.Button(buttons, text=_(words), command=command)
            button.grid(row=i // 3, column=i % 3, sticky="ew", padx=3, pady=2)
            self.actions[words] = button
        for c in range(3):
            buttons.columnconfigure(c, weight=1, uniform="buttons")
        self.note.grid(row=4, column=0, columnspan=4, sticky="w")
        self.first_field = self.search_field
        self.gifts: dict[str, Gift] = {}
        api = window.config.provider.api
        self.unavailable = gift_cards.CARDS_ELSEWHERE.get(api, gift_cards.CARDS_NOT_SET_UP)
        if self.admin is None:
            # Nothing here can work: every control but Close is off, and says where to go.
            for widget in (
                self.search_field,
                self.search_button,
                self.back_button,
                self.next_button,
                *(b for words, b in self.actions.items() if words != "Close (Esc)"),
            ):
                widget.state(["disabled"])
            self.first_field = self.actions["Close (Esc)"]
            self.say(self.unavailable, "warn")
        else:
            self.load(Search())

    def take_scan(self, text: str) -> bool:
        """A card scanned here is searched for, or goes into the new card's form."""
        form, patterns = self.form, self.window.till.patterns
        if isinstance(form, FormOverlay) and form.take_scan(shown(text, patterns)):
            return True  # the serial, never the PIN a scan carries
        if form is not None:
            self.close_form()  # a form for the card before: the scan is another one's
        self.query.set(shown(text, patterns))
        self.search(text)
        return True

    def enter(self) -> None:
        if self.form is not None:
            self.form.enter()
        elif self.focus_get() is self.search_field:
            self.search()

    # --- the list ---------------------------------------------------------------------------

    def load(self, search: Search, *, after: str | None = None, said: str = "") -> None:
        """The page of `search` after a card's id (None: its first), then `said` or how
        many it found."""
        admin = self.admin
        if admin is None:  # a search or a scan here: said again, nothing asked
            self.say(self.unavailable, "warn")
            return

        def show(found: gift_cards.Page) -> None:
            self.found, self.more = search, found.more
            self.gifts = {g.id: g for g in found.cards}
            self.tree.delete(*self.tree.get_children())
            for g in found.cards:
                self.tree.insert("", "end", iid=g.id, values=card_row(g, self.locale))
            self.tree.yview_moveto(0)
            if len(found.cards) == 1:  # one card found (or just changed): chosen already
                self.tree.selection_set(found.cards[0].id)
            self._paging()
            self.say(
                said or listed(found, self.found.words, len(self.pages)), "ok" if said else "muted"
            )

        self.call(_("Looking…"), lambda: gift_cards.page(admin, search, after=after), show)

    def _paging(self) -> None:
        self.back_button.state(["!disabled"] if len(self.pages) > 1 else ["disabled"])
        self.next_button.state(["!disabled"] if self.more else ["disabled"])

    def search(self, scanned: str | None = None) -> None:
        """What the search box holds, or `scanned`: a scan as it came (the box shows less)."""
        found = search_for(
            self.query.get() if scanned is None else scanned, self.window.till.patterns
        )
        if isinstance(found, str):
            self.say(found, "bad")  # what was typed stays in the field, to fix
            return
        self.pages = [None]
        self.load(found)

    def forward(self) -> None:
        children = self.tree.get_children()
        if children and self.more:
            self.pages.append(children[-1])
            self.load(self.found, after=children[-1])

    def back(self) -> None:
        if len(self.pages) > 1:
            self.pages.pop()
        self.load(self.found, after=self.pages[-1])

    # --- changes ----------------------------------------------------------------------------

    def _chosen(self) -> Gift | None:
        chosen = self.tree.selection()
        if not chosen:
            self.say(_("Choose a card in the list first"), "bad")
            return None
        return self.gifts[chosen[0]]

    def change(self, doing: str, fn: Callable[[], object], gift: Gift, said: str) -> None:
        """A change to `gift`, then the list shows that card, canceled or not, and `said`
        (demo #4: no word after a change; a card just canceled was "not found")."""

        def then(_result: object) -> None:
            self.query.set(gift.code)
            self.pages = [None]
            search = Search({"code": gift.code, "include_canceled": True}, coded(gift.code))
            self.load(search, said=said)

        self.call(doing, self._listed(fn), then)

    def _listed(self, fn: Callable[[], T]) -> Callable[[], T]:
        """The change, then the shift list read again, whatever came of it: a manager's
        money change is a journal entry there (issue 19.2), done, refused or not confirmed."""
        window = self.window

        def run() -> T:
            try:
                return fn()
            finally:
                window.worker.post(window.refresh_shift)

        return run

    def _submit(
        self, form: FormOverlay, doing: str, fn: Callable[[], Gift], done: Callable[[Gift], None]
    ) -> None:
        """A form's call: the form stays open, its input kept, until the provider has taken
        it; a refusal is said on the form (issue 19.14: the input was lost for it)."""
        form.ok.state(["disabled"])
        form.say(doing, "muted")

        def taken(gift: Gift) -> None:
            if self.form is form:
                self.close_form()
            done(gift)

        def refused(error: BaseException) -> None:
            if form.winfo_exists():
                form.ok.state(["!disabled"])
                form.say(self.window.words_for(error))
                form.bell()

        self.window.worker.submit(self._listed(fn), taken, refused)

    def create(self) -> None:
        admin = self.admin
        currency = self.window.till.currency
        if admin is None:
            return
        if not currency:
            self.say(_("Still connecting to the provider: try again in a moment"), "bad")
            return
        patterns = self.window.till.patterns
        form: FormOverlay

        def created_ok(typed: str, balance: int) -> str:
            """OK names the card and the money it puts on it (the second trial: a bare "OK
            (Enter)" moved money), the code as the store's patterns read it."""
            try:
                code = short(new_code(typed, patterns))
            except ValueError:
                return _("Create the card with {amount}").format(
                    amount=format_money(balance, currency, self.locale)
                )
            return _("Create {card} with {amount}").format(
                card=code, amount=format_money(balance, currency, self.locale)
            )

        def ok(values: dict[str, Any]) -> str | None:
            made = functools.partial(
                gift_cards.create,
                admin,
                patterns,
                values["Code"],
                values["Balance"],
                values[EXPIRES],
                reason=values["Reason"],
                changes=self.changes,
                currency=currency,
            )

            def done(gift: Gift) -> None:
                said = gift_cards.created_words(gift, self.locale)
                self.query.set(gift.code)
                self.pages = [None]
                self.load(Search({"code": gift.code}, coded(gift.code)), said=said)

            self._submit(form, _("Creating…"), made, done)
            return None

        form = FormOverlay(
            self,
            _("New gift card (scan it, or type its code)"),
            [
                (N_("Code"), "text"),
                (N_("Balance"), "amount"),
                (N_("Reason"), "text"),
                (EXPIRES, "text"),
            ],
            ok,
            currency=currency,
            closes=False,
            scan_into="Code",
            ok_words=lambda values: created_ok(values["Code"], values["Balance"]),
        )
        self.open_form(form)

    def toggle(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is not None and admin is not None:
            self.open_form(card_changes.toggle(self, self.change, gift, admin))

    def expiry(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is not None and admin is not None:
            self.open_form(card_changes.expiry(self, self.change, gift, admin))

    def adjust(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is None or admin is None:
            return
        if gift.kind != "monetary":
            # It holds items, not money: "(now $0.00)" was offered for it (issue 19.14).
            holds = glossary.count(gift.item_quantity or 0, gift.item_label or _("item"))
            self.say(
                _(
                    "{card} is an item card ({holds}): it holds items, not money, so it has no "
                    "balance to adjust. Cancel it and create another if its items must change."
                ).format(card=short(gift.code), holds=holds),
                "bad",
            )
            return

        def ok(values: dict[str, Any]) -> str | None:
            reason = values["Reason"].strip()
            if not reason:
                return _("Say why the balance changes: it goes in the ledger")
            minor = values["New balance"]
            changes = self.changes
            if changes is None:  # pragma: no cover - built with the admin calls (app.py)
                return _("This till cannot change gift cards")
            said = _("Set {card} to {amount} (was {was}).").format(
                card=short(gift.code), amount=money(minor), was=money(was)
            )
            self.change(_("Saving…"), lambda: changes.set_balance(gift, minor, reason), gift, said)
            return None

        was = gift.balance or 0

        def money(minor: int) -> str:
            return format_money(minor, gift.currency, self.locale)

        def ok_words(values: dict[str, Any]) -> str:
            return _("Set {card} to {amount} (was {was})").format(
                card=short(gift.code), amount=money(values["New balance"]), was=money(was)
            )

        self.open_form(
            FormOverlay(
                self,
                _("Balance of {card} (now {amount})").format(card=gift.code, amount=money(was)),
                [(N_("New balance"), "amount"), (N_("Reason"), "text")],
                ok,
                currency=gift.currency,
                prefill={"New balance": was},
                ok_words=ok_words,
            )
        )

    def cancel_card(self) -> None:
        gift, admin, changes = self._chosen(), self.admin, self.changes
        if gift is None or admin is None:
            return
        if gift.kind != "monetary" or not gift.balance or changes is None:
            # Nothing on it to lose: no money moves, nothing to journal (api.md).
            gone = lambda: admin.cancel_gift_card(gift.id, str(uuid.uuid4()))  # noqa: E731
            said = _("Canceled {card}.").format(card=short(gift.code))
            self.change(_("Canceling…"), gone, gift, said)
            return
        held = format_money(gift.balance, gift.currency, self.locale)

        def ok(values: dict[str, Any]) -> str | None:
            reason = values["Reason"].strip()
            if not reason:
                return _(
                    "Say why: the {amount} on it goes in the ledger and the shift report"
                ).format(amount=held)
            said = _("Canceled {card}: its {amount} taken off the card.").format(
                card=short(gift.code), amount=held
            )
            self.change(_("Canceling…"), lambda: changes.cancel(gift, reason), gift, said)
            return None

        self.open_form(
            FormOverlay(
                self,
                _("Cancel {card}: its {amount} is taken off the card").format(
                    card=short(gift.code), amount=held
                ),
                [(N_("Reason"), "text")],
                ok,
                ok_words=lambda _values: _("Cancel {card} and its {amount}").format(
                    card=short(gift.code), amount=held
                ),
            )
        )
