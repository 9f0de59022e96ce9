"""The scanner simulator's window in `posapp demo`: a button per demo card, each "scanning"
it through the pseudo-terminal the real serial reader reads.

It is a helper beside the till, never in its way:
- where the screen is wider than the till, it stands beside it, its cards listed; where the
  till fills the screen (a kiosk, a 1024x768 till), it is a small bar in the bottom-right
  corner, over the empty end of the till's status bar, and its "Cards" button lists the
  cards above it while one is picked (a click scans the card and folds the list again).
  It is placed explicitly: with no window manager nothing else would keep it on the screen;
  it is transient for the till, so a window manager keeps it above the till;
- it never keeps the keyboard: its buttons do not take the focus, and whenever the strip gets
  it (a window manager focuses what is clicked; with none, X gives the keys to the window
  under the pointer) it is handed back to the till's focused field, so F2 works right after a
  click;
- its "Hide (F1)" button, or closing it where a window manager gives it a close button, hides
  it; F1 in the till shows or hides it again;
- each button says what its card holds now: the labels are read again every few seconds
  (off the Tk thread), so a card sold or spent in this run is not described as it was.
"""

from __future__ import annotations

import functools
import logging
import threading
import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk

from posapp.i18n import _

TOGGLE_KEY = "F1"
REFRESH_MS = 3000
MARGIN = 8  # from the screen's edge; a window manager's border fits in it
TITLE_ALLOWANCE = 32  # a window manager's title bar above the strip (openbox: about 20 px)

log = logging.getLogger("posapp.demo")
Card = tuple[str, str]  # (the text the scanner sends, the button's words)


class SimulatorStrip:
    def __init__(
        self,
        root: tk.Tk,
        cards: Callable[[], list[Card]],
        scan: Callable[[str], None],
        footer: str,
        font: tkfont.Font | str = "TkDefaultFont",
    ) -> None:
        self.root = root
        self.scan = scan
        self.panel = panel = tk.Toplevel(root)
        panel.title(_("Scanner simulator"))
        panel.transient(root)
        panel.resizable(False, False)
        panel.protocol("WM_DELETE_WINDOW", self.hide)
        # Shown once the till is on the screen: placed before the till, a window manager
        # puts it where it likes (openbox: over the middle of the till).
        panel.withdraw()
        self.waiting = True
        style = ttk.Style(root)
        style.configure("Simulator.TButton", padding=(6, 1), anchor="w", font=font)
        style.configure("Simulator.TLabel", padding=(6, 2), font=font)
        frame = ttk.Frame(panel, padding=2)
        frame.pack(fill="both", expand=True)
        # The list of cards above, the bar below: the bar stays in the corner when the
        # list folds away. A heading of its own colour: with no window manager there is no
        # title bar to tell the strip from the till under it.
        self.cards = ttk.Frame(frame)
        # The bar: one row of short words, low enough to sit below the till's buttons and
        # narrow enough to sit right of its status words, a window manager's title included.
        bar = ttk.Frame(frame)
        bar.pack(side="bottom", fill="x")
        tk.Label(bar, text=_("Scanner"), font=font, fg="white", bg="#2d4a6b").pack(
            side="left", fill="y", ipadx=4
        )
        self.list_button = ttk.Button(
            bar,
            text=_("Cards ▴"),
            style="Simulator.TButton",
            takefocus=0,
            width=0,  # as wide as its words: the bar covers as little as it can
            command=self.fold,
        )
        self.list_button.pack(side="left", fill="x", expand=True)
        self.hide_button = ttk.Button(
            bar,
            text=_("Hide ({key})").format(key=TOGGLE_KEY),
            style="Simulator.TButton",
            takefocus=0,
            width=0,
            command=self.hide,
        )
        self.hide_button.pack(side="left", fill="x", expand=True)
        ttk.Label(self.cards, text=_("Click a card to scan it"), style="Simulator.TLabel").pack(
            fill="x"
        )
        self.buttons: dict[str, ttk.Button] = {}
        for text, words in cards():
            button = ttk.Button(
                self.cards,
                text=words,
                style="Simulator.TButton",
                takefocus=0,
                command=functools.partial(self.clicked, text),
            )
            button.pack(fill="x")
            self.buttons[text] = button
        ttk.Label(self.cards, text=footer, style="Simulator.TLabel").pack(fill="x")
        self.beside = self.listed = False
        panel.bind("<FocusIn>", lambda _e: self.give_focus_back())
        root.bind(f"<{TOGGLE_KEY}>", lambda _e: self.toggle(), add="+")
        self.labels = Labels(cards)
        self._job: str | None = None
        # A timer left behind would fire into a destroyed window ("invalid command name").
        panel.bind("<Destroy>", lambda e: self._stop() if e.widget is panel else None, add="+")
        self.arrange()
        # The till mapped, moved or resized (a window manager places it after the strip
        # was made): beside it or in the corner again.
        for event in ("<Map>", "<Configure>"):
            root.bind(event, lambda e: self.arrange() if e.widget is root else None, add="+")
        self._tick()

    # --- where it is ----------------------------------------------------------------------

    def arrange(self) -> None:
        """Beside the till, its cards listed, where the screen has room; else the corner."""
        if not self.panel.winfo_exists() or not self.root.winfo_viewable():
            return  # the till is not on the screen yet: where it is decides
        beside = self._room_beside()
        if beside != self.beside:
            self.beside = beside
            if self.listed != beside:
                self.fold()
        if self.waiting:  # the first time: shown where it belongs
            self.waiting = False
            self.place()
            self.panel.deiconify()
            self.root.after_idle(self.give_focus_back)
        elif self.panel.winfo_viewable():
            self.place()

    def _room_beside(self) -> bool:
        """True when the screen has room for the strip right of the till."""
        panel, root = self.panel, self.root
        panel.update_idletasks()
        right = root.winfo_rootx() + root.winfo_width()
        return right + 2 * MARGIN + self.cards.winfo_reqwidth() <= panel.winfo_screenwidth()

    def place(self) -> None:
        """Beside the till where the screen has room, else in the bottom-right corner of
        the screen (the list, when shown, above the bar); never past the screen."""
        panel = self.panel
        panel.update_idletasks()
        screen_w, screen_h = panel.winfo_screenwidth(), panel.winfo_screenheight()
        width = min(panel.winfo_reqwidth(), screen_w - 2 * MARGIN)
        height = min(panel.winfo_reqheight(), screen_h - TITLE_ALLOWANCE - 2 * MARGIN)
        if not self.beside:
            # From the screen's bottom-right corner: Tk asks for south-east gravity, so a
            # window manager keeps its frame (title bar included) on the screen too.
            panel.geometry(f"{width}x{height}-{MARGIN}-{MARGIN}")
            return
        x = self.root.winfo_rootx() + self.root.winfo_width() + MARGIN
        y = max(MARGIN + TITLE_ALLOWANCE, self.root.winfo_rooty())
        x = max(0, min(x, screen_w - width - MARGIN))
        y = max(0, min(y, screen_h - height - MARGIN))
        panel.geometry(f"{width}x{height}+{x}+{y}")

    def fold(self) -> None:
        """Show the cards, or fold them away (the bar stays)."""
        self.listed = not self.listed
        if self.listed:
            self.cards.pack(side="top", fill="both", expand=True)
        else:
            self.cards.pack_forget()
        self.list_button.configure(text=_("Cards ▾") if self.listed else _("Cards ▴"))
        self.place()
        self.give_focus_back()

    def hide(self) -> None:
        self.panel.withdraw()
        self.give_focus_back()

    def toggle(self) -> str:
        if not self.panel.winfo_exists():
            return "break"
        if self.panel.winfo_viewable():
            self.hide()
        else:
            self.waiting = False
            self.place()
            self.panel.deiconify()
            self.root.after_idle(self.give_focus_back)
        return "break"

    # --- the keyboard stays with the till -------------------------------------------------

    def clicked(self, text: str) -> None:
        self.scan(text)
        if self.listed and not self.beside:  # the list folds away: the till is seen whole
            self.fold()
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
