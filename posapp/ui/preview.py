"""The receipt preview (product.md, "Screens" 7): the last receipt as the printer prints it
(the virtual printer's picture), scrolled within the screen."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import TYPE_CHECKING

from posapp.ui.screen import Screen

if TYPE_CHECKING:
    from posapp.ui.window import CashierWindow


class PreviewScreen(Screen):
    def __init__(self, window: CashierWindow) -> None:
        super().__init__(window, "Receipt preview")
        from PIL import ImageTk

        from hardware.printers.virtual import render

        self.panel.rowconfigure(1, weight=1)
        self.panel.columnconfigure(0, weight=1)
        self.canvas = tk.Canvas(self.panel, width=640, height=400, background="white")
        self.canvas.grid(row=1, column=0, sticky="nsew")
        scroll = ttk.Scrollbar(self.panel, orient="vertical", command=self.canvas.yview)
        scroll.grid(row=1, column=1, sticky="ns")
        self.canvas.configure(yscrollcommand=scroll.set)
        job = window.last_job
        if job is None:
            self.say("No receipt yet", "muted")
        else:
            picture = render(job, window.config.printer.paper_width_mm)
            self.photo = ImageTk.PhotoImage(picture, master=self.canvas)
            self.canvas.create_image(0, 0, image=self.photo, anchor="nw")
            self.canvas.configure(scrollregion=(0, 0, picture.width, picture.height))
        for keysym, step in (("Down", 1), ("Up", -1), ("Next", 10), ("Prior", -10)):
            self.canvas.bind(f"<{keysym}>", self._scroller(step))
        ttk.Button(self.panel, text="Close (Esc)", command=window.escape).grid(
            row=2, column=0, sticky="w", pady=6
        )
        self.note.grid(row=3, column=0, sticky="w")
        self.first_field = self.canvas

    def _scroller(self, step: int) -> Callable[[object], None]:
        return lambda _e: self.canvas.yview_scroll(step, "units")
