"""F12, Calibrate the scanner (issue 25.2): a calibration barcode on screen (and on a slip),
scanned once through the USB wedge; what the till learnt said in words; Enter keeps it (the
wedge reads with it at once, and the settings file keeps it through the settings' own save,
journalled as a settings change), Esc drops it. The learning is core/wedge_map.py's."""

from __future__ import annotations

import re
import tkinter as tk
from tkinter import ttk

from posapp.config_form import NotSaved, Saved, config_tables
from posapp.core.wedge_map import Learnt, WedgeMap, calibration_code, learn
from posapp.i18n import N_, _
from posapp.ui.host import ScreenHost
from posapp.ui.screen import Screen

TITLE = N_("Calibrate the scanner")
ASK = N_("Scan this barcode once with the USB scanner (from the screen, or Print for a slip).")
CAPS = N_("Caps Lock was on: its inverted letters were turned back first.")
KEEP = N_("Enter keeps this, Esc drops it.")
KEPT = N_("Kept: USB scans are read this way now. Saved to {path}.")
KEPT_NOT_SAVED = N_("Kept for this run only: {why}")
DROPPED = N_("Dropped: nothing changed. Scan the barcode again, or Esc to close.")
QUIET_ZONE = 10  # modules of white each side: a scanner finds the code's ends by it


class CalibrationScreen(Screen):
    def __init__(self, window: ScreenHost) -> None:
        super().__init__(window, _(TITLE))
        self.code = calibration_code(p.regex for p in window.config.patterns)
        # While this screen is open the wedge reads the keys as they arrive: the learning
        # needs them untouched (Caps Lock is still turned back by the key router).
        self.before = window.keys.wedge_map
        window.keys.wedge_map = WedgeMap()
        self.learnt: Learnt | None = None
        self.kept = False
        ttk.Label(
            self.panel, text=_(ASK), style="Card.TLabel", wraplength=880, justify="left"
        ).grid(row=1, column=0, columnspan=4, sticky="w")
        self.canvas = tk.Canvas(self.panel, background="white", highlightthickness=0)
        self.canvas.grid(row=2, column=0, columnspan=4, pady=10)
        self._draw()
        ttk.Label(self.panel, text=self.code, style="Card.TLabel", font=self.fonts["mono"]).grid(
            row=3, column=0, columnspan=4
        )
        self.learnt_words = ttk.Label(
            self.panel, text="", style="Card.TLabel", wraplength=880, justify="left"
        )
        self.learnt_words.grid(row=4, column=0, columnspan=4, sticky="w", pady=8)
        self.print_button = ttk.Button(self.panel, text=_("Print (P)"), command=self.print_slip)
        self.print_button.grid(row=5, column=0, sticky="w", pady=6)
        self.keep_button = ttk.Button(self.panel, text=_("Keep (Enter)"), command=self.enter)
        self.keep_button.grid(row=5, column=1, sticky="w", pady=6)
        self.keep_button.state(["disabled"])
        ttk.Button(self.panel, text=_("Close (Esc)"), command=window.escape).grid(
            row=5, column=2, sticky="w", pady=6
        )
        self.note.grid(row=6, column=0, columnspan=4, sticky="w")
        self.shortcuts = {"p": self.print_slip}
        self.first_field = self.print_button

    def _draw(self) -> None:
        """The code as bars, each module a whole number of pixels wide (crisp on any
        screen), as wide as the panel allows: a scanner reads it off the screen."""
        import barcode

        modules = barcode.get("code128", self.code).build()[0]
        # A module of 3 pixels or more (0.8 mm on a 96 dpi screen) is what a scanner reads
        # off a screen; wider where the window has room, up to 6.
        room = int(max(self.window.root.winfo_width(), 1024) * 0.85)
        width = max(3, min(6, room // (len(modules) + 2 * QUIET_ZONE)))
        height = 140
        self.canvas.configure(width=width * (len(modules) + 2 * QUIET_ZONE), height=height)
        # One rectangle a bar, however many modules wide: bars drawn module by module
        # left a hairline between them, and no scanner read the code (zbarimg neither).
        start = QUIET_ZONE
        for run in re.finditer("1+", modules):
            left = (start + run.start()) * width
            right = (start + run.end()) * width
            self.canvas.create_rectangle(left, 10, right, height - 10, fill="black", width=0)

    def take_scan(self, text: str) -> bool:
        """The calibration scan (any scan while this is open is taken as one)."""
        found = learn(self.code, text)
        if not isinstance(found, Learnt):
            self.learnt = None
            self.keep_button.state(["disabled"])
            self.learnt_words.configure(text=_("Arrived: {text}").format(text=text))
            self.say(found.reason, "bad")
            return True
        self.learnt = found
        said = [
            _("Sent: {code}").format(code=self.code),
            _("Arrived: {text}").format(text=text),
            *found.said,
        ]
        if self.window.keys.caps_lock:
            said.append(_(CAPS))
        self.learnt_words.configure(text="\n".join(said))
        self.keep_button.state(["!disabled"])
        self.say(_(KEEP), "ok")
        return True

    def enter(self) -> None:
        if self.form is not None:
            self.form.enter()
            return
        if self.learnt is None:
            self.say(_("Scan the barcode first"), "warn")
            return
        mapped = self.learnt.map
        self.window.keys.wedge_map = self.before = mapped
        self.kept = True
        self.learnt = None
        self.keep_button.state(["disabled"])
        tables = config_tables(self.window.config, scanner=mapped.keys())
        store = self.window.services_.settings
        self.say(_("Saving…"), "muted")
        self.window.worker.submit(lambda: store.save(tables, ""), self._saved, self._not_saved)

    def _saved(self, saved: Saved) -> None:
        self.window.config = saved.config
        if self.winfo_exists():
            self.say(_(KEPT).format(path=saved.path), "ok")

    def _not_saved(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        why = str(error) if isinstance(error, NotSaved) else self.window.words_for(error)
        self.say(_(KEPT_NOT_SAVED).format(why=why), "warn")

    def escape(self) -> bool:
        if self.form is not None:
            self.close_form()
            return True
        if self.learnt is not None:
            self.learnt = None
            self.keep_button.state(["disabled"])
            self.learnt_words.configure(text="")
            self.say(_(DROPPED), "muted")
            return True
        return False

    def print_slip(self) -> None:
        printer = self.window.services_.printer
        self.call(
            _("Printing…"),
            lambda: printer.print_calibration(self.code),
            lambda job: self.say(_("Calibration slip: {said}").format(said=job.said), "ok"),
        )

    def destroy(self) -> None:
        self.window.keys.wedge_map = self.before  # as it was, or as kept
        super().destroy()
