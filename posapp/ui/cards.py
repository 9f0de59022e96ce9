"""Gift cards (product.md, "Screens" 4; the admin token): search by code, page through,
create, enable or disable, change expiry, adjust the balance with a reason, cancel."""

from __future__ import annotations

import tkinter as tk
import uuid
from collections.abc import Callable
from tkinter import ttk
from typing import TYPE_CHECKING, Any

from posapp.core import glossary
from posapp.core.money import format_money
from posapp.core.till import last_four
from posapp.ui import errors
from posapp.ui.forms import FormOverlay
from posapp.ui.screen import Screen

if TYPE_CHECKING:
    from posapp.ui.window import CashierWindow

EXPIRES = "Expires (YYYY-MM-DD, optional)"


class CardsScreen(Screen):
    def __init__(self, window: CashierWindow) -> None:
        super().__init__(window, "Gift cards")
        self.admin = window.services_.admin
        self.locale = window.locale
        self.pages: list[str | None] = [None]
        self.query = tk.StringVar(self)
        panel = self.panel
        panel.columnconfigure(0, weight=1)
        panel.rowconfigure(2, weight=1)
        self.search_field = ttk.Entry(panel, textvariable=self.query, width=24)
        self.search_field.grid(row=1, column=0, sticky="ew")
        for i, (words, command) in enumerate(
            (("Search code", self.search), ("◀ Page", self.back), ("Page ▶", self.forward))
        ):
            ttk.Button(panel, text=words, command=command).grid(row=1, column=1 + i, padx=3)
        columns = ("code", "status", "balance", "expires")
        self.tree = ttk.Treeview(panel, columns=columns, show="headings", height=10)
        for column, width in zip(columns, (260, 150, 170, 140), strict=True):
            self.tree.heading(column, text=column.capitalize())
            self.tree.column(column, width=width, stretch=False)
        self.tree.grid(row=2, column=0, columnspan=4, sticky="nsew", pady=6)
        buttons = ttk.Frame(panel, style="Panel.TFrame")
        buttons.grid(row=3, column=0, columnspan=4, sticky="ew")
        for i, (words, command) in enumerate(
            (
                ("Create", self.create),
                ("Enable / disable", self.toggle),
                ("Expiry", self.expiry),
                ("Adjust balance", self.adjust),
                ("Cancel card", self.cancel_card),
                ("Close (Esc)", window.escape),
            )
        ):
            ttk.Button(buttons, text=words, command=command).grid(
                row=i // 3, column=i % 3, sticky="ew", padx=3, pady=2
            )
        for c in range(3):
            buttons.columnconfigure(c, weight=1, uniform="buttons")
        self.note.grid(row=4, column=0, columnspan=4, sticky="w")
        self.first_field = self.search_field
        self.gifts: dict[str, Any] = {}
        square = window.config.provider.api == "square"
        self.unavailable = errors.CARDS_WITH_SQUARE if square else errors.CARDS_NOT_SET_UP
        if self.admin is None:
            self.say(self.unavailable, "warn")
        else:
            self.load()

    def take_scan(self, text: str) -> None:
        """A card scanned here is searched for."""
        found = self.window.till.patterns.extract(text)
        self.query.set(getattr(found, "value", text))
        self.search()

    def enter(self) -> None:
        if self.form is not None:
            self.form.enter()
        elif self.focus_get() is self.search_field:
            self.search()

    def load(self, **query: Any) -> None:
        admin = self.admin
        if admin is None:  # a search or a scan here: said again, nothing asked
            self.say(self.unavailable, "warn")
            return

        def show(found: list[Any]) -> None:
            self.gifts = {g.id: g for g in found}
            self.tree.delete(*self.tree.get_children())
            for g in found:
                balance = (
                    glossary.count(g.item_quantity or 0, g.item_label or "item")
                    if g.kind == "item"
                    else format_money(g.balance or 0, g.currency, self.locale)
                )
                expires = f"{g.expires_at:%Y-%m-%d}" if g.expires_at else "—"
                status = glossary.GIFT_STATUS.get(g.status, g.status)
                self.tree.insert("", "end", iid=g.id, values=(g.code, status, balance, expires))
            self.say(glossary.count(len(found), "card"), "muted")

        self.call("Loading…", lambda: admin.gift_cards(limit=20, **query), show)

    def search(self) -> None:
        code = self.query.get().strip()
        self.load(**({"code": code} if code else {}))

    def forward(self) -> None:
        children = self.tree.get_children()
        if children:
            self.pages.append(children[-1])
            self.load(after=children[-1])

    def back(self) -> None:
        if len(self.pages) > 1:
            self.pages.pop()
        after = self.pages[-1]
        self.load(**({"after": after} if after else {}))

    def _chosen(self) -> Any:
        chosen = self.tree.selection()
        if not chosen:
            self.say("Choose a card first", "bad")
            return None
        return self.gifts[chosen[0]]

    def _change(self, doing: str, fn: Callable[[], Any]) -> None:
        self.call(doing, fn, lambda _r: self.search())

    def create(self) -> None:
        admin = self.admin
        if admin is None:
            return

        def ok(values: dict[str, Any]) -> str | None:
            code, minor = values["Code"].strip(), values["Balance"]
            if not code:
                return "Type or scan the new card's code"
            if minor <= 0:
                return "Enter a balance above zero"
            day = values[EXPIRES].strip()
            extra = {"expires_at": f"{day}T23:59:59Z"} if day else {}
            self._change(
                "Creating…",
                lambda: admin.create_gift_card(code, minor, str(uuid.uuid4()), **extra),
            )
            return None

        currency = self.window.till.currency
        if not currency:
            self.say("Still connecting to the provider: try again in a moment", "bad")
            return
        self.open_form(
            FormOverlay(
                self,
                "New gift card",
                [("Code", "text"), ("Balance", "amount"), (EXPIRES, "text")],
                ok,
                currency=currency,
            )
        )

    def toggle(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is not None and admin is not None:
            enabled = gift.status != "disabled"
            self._change(
                "Saving…",
                lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), enabled=not enabled),
            )

    def expiry(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is None or admin is None:
            return
        label = "Expires (YYYY-MM-DD, empty: never)"

        def ok(values: dict[str, Any]) -> str | None:
            day = values[label].strip()
            when = f"{day}T23:59:59Z" if day else None
            self._change(
                "Saving…",
                lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), expires_at=when),
            )
            return None

        self.open_form(FormOverlay(self, f"Expiry of {gift.code}", [(label, "text")], ok))

    def adjust(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is None or admin is None:
            return

        def ok(values: dict[str, Any]) -> str | None:
            if not values["Reason"].strip():
                return "Say why the balance changes: it goes in the ledger"
            minor = values["New balance"]
            self._change(
                "Saving…", lambda: admin.change_gift_card(gift.id, str(uuid.uuid4()), balance=minor)
            )
            return None

        was = gift.balance or 0

        def money(minor: int) -> str:
            return format_money(minor, gift.currency, self.locale)

        def ok_words(values: dict[str, Any]) -> str:
            return (
                f"Set {last_four(gift.code)} to {money(values['New balance'])} (was {money(was)})"
            )

        self.open_form(
            FormOverlay(
                self,
                f"Balance of {gift.code} (now {money(was)})",
                [("New balance", "amount"), ("Reason", "text")],
                ok,
                currency=gift.currency,
                prefill={"New balance": was},
                ok_words=ok_words,
            )
        )

    def cancel_card(self) -> None:
        gift, admin = self._chosen(), self.admin
        if gift is not None and admin is not None:
            self._change("Canceling…", lambda: admin.cancel_gift_card(gift.id, str(uuid.uuid4())))
