"""The scanner simulator's window in `posapp demo`: a strip with a button per demo card, each
"scanning" it through the pseudo-terminal the real serial reader reads.

It is a helper beside the till, never in the way of its keyboard:
- it fits the screen (a column at its right edge, placed explicitly: with no window manager
  nothing else would keep it on the screen), and is transient for the till, so a window
  manager keeps it above the till and out of the task list;
- it never keeps the keyboard: its buttons do not take the focus, and whenever the strip gets
  it (a window manager focuses what is clicked; with none, X gives the keys to the window
  under the pointer) it is handed back to the till's focused field, so F2 works right after a
  click;
- closing it hides it; F1 in the till shows or hides it again;
- each button says what its card holds now: the labels are read again every few seconds
  (off the Tk thread), so a card sold or spent in this run is not described as it was.
"""

from __future__ import annotations

import functools
import logging
import threading
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

TOGGLE_KEY = "F1"
REFRESH_MS = 3000
MARGIN = 8  # from the screen's edge; a window manager's border fits in it
TITLE_ALLOWANCE = 32  # a window manager's title bar above the strip (openbox: about 20 px)
TOP = 100  # below the till's scan field: the strip never hides what is typed

log = logging.getLogger("posapp.demo")
Card = tuple[str, str]  # (the text the scanner sends, the button's words)


class SimulatorStrip:
    def __init__(
        self,
        root: tk.Tk,
        cards: Callable[[], list[Card]],
        scan: Callable[[str], None],
        footer: str,
        font: Any = "TkDefaultFont",
    ) -> None:
        self.root = root
        self.scan = scan
        self.panel = panel = tk.Toplevel(root)
        panel.title("Scanner simulator")
        panel.transient(root)
        panel.resizable(False, False)
        panel.protocol("WM_DELETE_WINDOW", self.hide)
        style = ttk.Style(root)
        style.configure("Simulator.TButton", padding=(6, 1), anchor="w", font=font)
        style.configure("Simulator.TLabel", padding=(6, 2), font=font)
        frame = ttk.Frame(panel, padding=2)
        frame.pack(fill="both", expand=True)
        # A heading of its own colour: with no window manager there is no title bar to tell
        # the strip from the till under it.
        tk.Label(
            frame, text="Scanner simulator: click a card", font=font, fg="white", bg="#2d4a6b"
        ).pack(fill="x")
        self.buttons: dict[str, ttk.Button] = {}
        for text, words in cards():
            button = ttk.Button(
                frame,
                text=words,
                style="Simulator.TButton",
                takefocus=0,
                command=functools.partial(self.clicked, text),
            )
            button.pack(fill="x")
            self.buttons[text] = button
        ttk.Label(frame, text=footer, style="Simulator.TLabel").pack(fill="x")
        ttk.Label(
            frame, text=f"{TOGGLE_KEY} hides or shows this window", style="Simulator.TLabel"
        ).pack(fill="x")
        panel.bind("<FocusIn>", lambda _e: self.give_focus_back())
        root.bind(f"<{TOGGLE_KEY}>", lambda _e: self.toggle(), add="+")
        self.labels = Labels(cards)
        self._job: str | None = None
        # A timer left behind would fire into a destroyed window ("invalid command name").
        panel.bind("<Destroy>", lambda e: self._stop() if e.widget is panel else None, add="+")
        self.place()
        self._tick()

    # --- where it is ----------------------------------------------------------------------

    def place(self) -> None:
        """At the screen's right edge, below the till's scan field; never past the screen."""
        panel = self.panel
        panel.update_idletasks()
        screen_w, screen_h = panel.winfo_screenwidth(), panel.winfo_screenheight()
        width = min(panel.winfo_reqwidth(), screen_w - 2 * MARGIN)
        height = min(panel.winfo_reqheight(), screen_h - TITLE_ALLOWANCE - 2 * MARGIN)
        x = screen_w - width - MARGIN
        y = max(0, min(TOP, screen_h - height - TITLE_ALLOWANCE - MARGIN))
        panel.geometry(f"{width}x{height}+{x}+{y}")

    def hide(self) -> None:
        self.panel.withdraw()
        self.give_focus_back()

    def toggle(self) -> str:
        if not self.panel.winfo_exists():
            return "break"
        if self.panel.winfo_viewable():
            self.hide()
        else:
            self.panel.deiconify()
            self.place()
            self.root.after_idle(self.give_focus_back)
        return "break"

    # --- the keyboard stays with the till -------------------------------------------------

    def clicked(self, text: str) -> None:
        self.scan(text)
        self.give_focus_back()

    def give_focus_back(self) -> None:
        """To the widget of the till that last had the focus (its scan field, or the open
        overlay's field), with the X focus: keys go to the till whatever is under the pointer."""
        target = self.root.focus_lastfor() or self.root
        if target.winfo_toplevel() is not self.root:
            target = self.root
        target.focus_force()

    # --- what each card holds now ---------------------------------------------------------

    def _tick(self) -> None:
        """Every few seconds: the labels read last time are shown; a new read starts."""
        read, self.labels.read = self.labels.read, None
        for text, words in read or []:
            button = self.buttons.get(text)
            if button is not None and button.cget("text") != words:
                button.configure(text=words)
        if not self.labels.reading:
            self.labels.reading = True
            threading.Thread(target=self.labels.run, name="demo-labels", daemon=True).start()
        self._job = self.root.after(REFRESH_MS, self._tick)

    def _stop(self) -> None:
        if self._job is not None:
            self.root.after_cancel(self._job)
            self._job = None


class Labels:
    """The buttons' words, read off the Tk thread. It holds nothing of Tk: the reading
    thread must not keep a window alive, or the window would be freed by a garbage collection
    on some other thread, which aborts Tcl."""

    def __init__(self, read: Callable[[], list[Card]]) -> None:
        self.read_cards = read
        self.read: list[Card] | None = None
        self.reading = False

    def run(self) -> None:
        try:
            self.read = self.read_cards()
        except Exception as exc:  # the demo is closing, or the store is busy: next time
            log.info("the simulator's labels were not read: %s", exc)
        finally:
            self.reading = False
