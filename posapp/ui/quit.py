"""Quit posapp (F12, behind the manager PIN): on a till with no window manager, nothing else
closes it (issue 19). It closes as the close button and SIGTERM do (window.close_requested):
a money call in flight is said on screen and waited for, up to its deadline."""

from __future__ import annotations

from tkinter import ttk

from posapp.i18n import N_, _
from posapp.ui.host import ScreenHost
from posapp.ui.screen import Screen

WORDS = N_(
    "posapp closes. On a till that runs posapp alone (its X session), the screen goes back "
    "to the login or the console; start the till again to sell. What is not confirmed yet "
    "is settled when posapp starts again."
)


class QuitScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _("Quit posapp"))
        ttk.Label(
            self.panel, text=_(WORDS), style="Card.TLabel", wraplength=640, justify="left"
        ).grid(row=1, column=0, columnspan=2, sticky="w", pady=(0, 16))
        self.quit_button = ttk.Button(self.panel, text=_("Quit posapp (Enter)"), command=self.enter)
        self.quit_button.grid(row=2, column=0, sticky="w", padx=(0, 8))
        ttk.Button(self.panel, text=_("Back (Esc)"), command=window.escape).grid(
            row=2, column=1, sticky="w"
        )
        self.note.grid(row=3, column=0, columnspan=2, sticky="w")
        self.first_field = self.quit_button

    def enter(self) -> None:
        if self.focus_get() is not self.quit_button and isinstance(self.focus_get(), ttk.Button):
            super().enter()  # Return on "Back": back, not quit
            return
        self.quit_button.state(["disabled"])  # once: closing may wait for a call's answer
        self.window.close_requested()


def closing(doing: str, wait: float) -> str:
    """What the window says while it closes with a money call in flight (ui/window.py)."""
    return _(
        "Closing: waiting for the answer to {doing} (at most {seconds} s). What has no "
        "answer by then is settled when posapp starts again."
    ).format(doing=doing, seconds=f"{wait:.0f}")
