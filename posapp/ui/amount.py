"""The amount overlay (product.md, "Screens" 2): redeem, sell and refund. The till keeps the
amount; this draws it, forwards keys, and its OK button says what Enter does ("Redeem $12.50
from ••0001"): that button is the confirmation."""

from __future__ import annotations

import functools
from tkinter import ttk

from posapp.core.activation import sale_range
from posapp.core.money import MAX_AMOUNT, format_money
from posapp.core.till import DENOMINATION_KEYS
from posapp.core.till_events import AmountKey, ChooseDenomination, Confirm
from posapp.i18n import N_, _
from posapp.ui.host import TillHost
from posapp.ui.overlay import AmountField, Overlay, labelled_entry

TITLES = {
    "redeem": N_("Redeem"),
    "sell": N_("Sell a gift card"),
    "refund": N_("Refund to a new gift card"),
    "due": N_("Amount due"),  # F11: a sale paid card by card (issue 23)
    "pay": N_("Pay toward the sale"),
}
TICKET = N_("Ticket number from the register (optional, Tab)")
PAY_LIMIT = N_("This card can pay {card}; the sale has {left} left")
PAY_HINT = N_("Enter pays this amount; type a smaller one to pay less")
KEYPAD = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "00", "0", "."]


class AmountOverlay(Overlay):
    def __init__(self, window: TillHost) -> None:
        till = window.till
        assert till.entry is not None
        purpose = till.purpose or "redeem"
        super().__init__(window.root, window.fonts, _(TITLES[purpose]))
        self.window = window
        panel, row = self.panel, 1
        self.email = None
        self.ticket_field: ttk.Entry | None = None
        if purpose == "sell" and till.denominations:
            # A denomination sells at once after the new card's scan and its confirmation;
            # each button shows its price and what it sells, never its price book's id, and
            # its key (a letter: posapp.core.till.DENOMINATION_KEYS).
            self.denominations = {}
            for i, (book, amount) in enumerate(till.denominations):
                price = format_money(amount, till.currency, till.locale)
                key = f"  ({DENOMINATION_KEYS[i]})" if i < len(DENOMINATION_KEYS) else ""
                self.denominations[book] = self.button(
                    _("{price} gift card").format(price=price) + key,
                    functools.partial(window.send, ChooseDenomination(book)),
                    row=row + i // 2,
                    column=(i % 2) * 2,
                    columnspan=2,
                )
            row += (len(till.denominations) + 1) // 2
            self.other = self.label(_("or type another amount:"), row)
            row += 1
        self.field = AmountField(
            panel, window.fonts, till.entry, on_key=lambda key: window.send(AmountKey(key))
        )
        self.field.grid(row=row, column=0, columnspan=4, sticky="ew", pady=(4, 0))
        if purpose == "sell":  # the range up front, not met only once refused
            limit = sale_range(till.sale_limits, till.currency, till.locale)
        elif purpose == "pay" and till.card is not None and till.open_sale is not None:
            sale = till.open_sale
            left = format_money(sale.left - sale.pending, sale.currency, till.locale)
            card = format_money(till.card.eligible_value, sale.currency, till.locale)
            limit = _(PAY_LIMIT).format(card=card, left=left)
        elif till.entry.maximum < MAX_AMOUNT:
            most = format_money(till.entry.limit, till.entry.currency, till.locale)
            limit = _("at most {amount}").format(amount=most)
        else:
            limit = ""
        self.limit = self.label(limit, row + 1)
        # POS style is not what a new cashier expects: say how the keys fill the amount.
        hint = _(PAY_HINT) if purpose == "pay" else till.entry.hint()
        self.hint = self.label(hint, row + 2, sticky="w")
        row += 3
        for i, key in enumerate(KEYPAD):
            self.button(
                key,
                functools.partial(self.field.take_char, key),
                row=row + i // 3,
                column=i % 3,
            )
        self.button("⌫", functools.partial(self.field.take_char, "BackSpace"), row=row, column=3)
        if purpose == "redeem":
            self.button(
                _("All (F3)"), functools.partial(window.act, "use_all"), row=row + 1, column=3
            )
        row += 4
        if purpose == "refund":
            field, self.email = labelled_entry(panel, _("Customer e-mail (optional)"), row)
            field.configure(width=24)
            row += 1
        if purpose == "due":  # the register's ticket: typed, or its barcode scanned here
            # Its words on a row of their own: beside the field they widened the keypad's
            # first column. No Tk variable (see AmountField): the field's own text.
            self.label(_(TICKET), row, sticky="w").configure(font=self.fonts["body"])
            self.ticket_field = ttk.Entry(panel, width=16)
            self.ticket_field.grid(row=row + 1, column=0, columnspan=4, sticky="ew", pady=4)
            row += 1
            # Tab from the amount goes here, not through the keypad's buttons: focus moves
            # in stacking order, so the field is put right after the amount in it.
            self.ticket_field.lift(self.field)
            row += 1
        # The OK names card and amount ("Redeem $10,000.00 from ••0001  (Enter)"): it takes
        # three of the four columns, so the longest amount keeps its words whole.
        self.button(_("Cancel (Esc)"), window.escape, row=row, column=0)
        self.ok = self.button(_("OK (Enter)"), self.enter, row=row, column=1, columnspan=3)
        self.note.grid(row=row + 1, column=0, columnspan=4, sticky="w")
        self.first_field = self.field
        self.refresh()

    def label(self, words: str, row: int, sticky: str = "e") -> ttk.Label:
        label = ttk.Label(self.panel, text=words, style="Card.TLabel", font=self.fonts["small"])
        label.grid(row=row, column=0, columnspan=4, sticky=sticky)
        return label

    def refresh(self) -> None:
        till = self.window.till
        if till.entry is not None:
            self.field.show(till.entry)
        # In doubt the OK is off and names what was refused; BackSpace is the way on.
        doubt = till.entry is not None and bool(till.entry.doubt)
        empty = till.entry is not None and not till.entry.minor  # off, saying what to do
        key = "" if empty else "  ({})".format(_("BackSpace") if doubt else _("Enter"))
        self.ok.configure(text=f"{till.ok_words()}{key}")
        self.ok.state(["disabled"] if doubt or empty else ["!disabled"])
        self.say(till.message if till.tone == "bad" else "")

    def enter(self) -> None:
        email = self.email.get() if self.email is not None else ""
        ticket = self.ticket_field.get() if self.ticket_field is not None else ""
        self.window.send(Confirm(email=email, ticket=ticket))
