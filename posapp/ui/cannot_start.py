"""A till that cannot start says why on its screen (issue 19): a kiosk runs `exec posapp`
alone in its X session, where stderr is seen by no one and a config mistake was a black
screen. The reason fills the screen, as the till would have, until Enter, Esc, its button
or SIGTERM closes it; the same words go to stderr (posapp/cli.py)."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from posapp.ui import theme

TITLE = "posapp cannot start"


class CannotStart:
    """The reason on a root of its own: a heading, each problem, what to do, and Close."""

    def __init__(self, root: tk.Tk, heading: str, problems: list[str], todo: str) -> None:
        self.root = root
        width, height = root.winfo_screenwidth(), root.winfo_screenheight()
        # The whole screen, with a window manager or without one (as [window] fullscreen).
        root.geometry(f"{width}x{height}+0+0")
        root.attributes("-zoomed", True)  # a window manager's title bar takes some of it
        root.title(TITLE)
        fonts = theme.apply(root, 1.0, width)
        wrap = width - 120
        frame = ttk.Frame(root, padding=40)
        frame.pack(fill="both", expand=True)
        ttk.Label(frame, text=TITLE, font=fonts["big"], foreground=theme.COLOURS["bad"]).pack(
            anchor="w", pady=(0, 16)
        )
        self.words = [heading, *(f"•  {p}" for p in problems), todo]
        ttk.Label(frame, text=heading, wraplength=wrap, justify="left").pack(anchor="w")
        for problem in problems:
            ttk.Label(
                frame, text=f"•  {problem}", wraplength=wrap, justify="left", font=fonts["mono"]
            ).pack(anchor="w", padx=(16, 0), pady=4)
        ttk.Label(frame, text=todo, wraplength=wrap, justify="left").pack(anchor="w", pady=16)
        self.close = ttk.Button(frame, text="Close (Enter)", command=root.destroy)
        self.close.pack(anchor="w")
        for key in ("<Return>", "<KP_Enter>", "<Escape>"):
            root.bind(key, lambda _e: root.destroy())
        root.protocol("WM_DELETE_WINDOW", root.destroy)
        self.close.focus_set()


def show(heading: str, problems: list[str], todo: str) -> bool:
    """The reason on the screen until it is closed; False when there is no screen."""
    try:
        root = tk.Tk()
    except tk.TclError:
        return False
    from posapp.ui.tk_root import wake_on_signal

    CannotStart(root, heading, problems, todo)
    wake_on_signal(root, root.destroy)
    root.mainloop()
    return True
