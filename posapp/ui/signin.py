"""The cashier on this shift's receipts (a per-shift sign-in): the name printed on each
receipt until the Z report closes the shift; then config.md's `[terminal] cashier` again."""

from __future__ import annotations

from tkinter import ttk

from posapp.i18n import _
from posapp.ui.host import ScreenHost
from posapp.ui.overlay import labelled_entry
from posapp.ui.screen import Screen


class SignInScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _("Cashier on this shift's receipts"))
        self.field, self.name = labelled_entry(self.panel, _("Cashier's name"), 1)
        self.name.set(window.terminal.shift.cashier or "")
        ttk.Button(self.panel, text=_("Sign in (Enter)"), command=self.enter).grid(
            row=2, column=1, sticky="w", pady=6
        )
        ttk.Button(self.panel, text=_("Close (Esc)"), command=window.escape).grid(
            row=2, column=2, sticky="w", pady=6
        )
        self.note.grid(row=3, column=0, columnspan=4, sticky="w")
        self.say(_("Printed on each receipt until the Z report closes the shift"), "muted")
        self.first_field = self.field
        # The name on show is selected: typing replaces it (the trial typed "Bea" in front
        # of "Ann" and signed in as "BeaAnn").
        self.field.select_range(0, "end")
        self.field.icursor("end")

    def enter(self) -> None:
        name = " ".join(self.name.get().split())
        if not name:
            self.say(_("Type the cashier's name"))
            return
        # The journal keeps it (a restart keeps it too): written off the Tk thread.
        self.call(
            _("Signing in…"),
            lambda: self.window.terminal.shift.sign_in(name),
            lambda _none: self.say(
                _("{name} is on this shift's receipts until the Z report").format(name=name), "ok"
            ),
        )
