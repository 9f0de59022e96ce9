"""Tk's root on the display, and SIGTERM reaching it: what every window of posapp starts with
(the till's, the demo's, the "cannot start" screen)."""

from __future__ import annotations

import os
import signal
import tkinter as tk
from collections.abc import Callable


class NoScreen(Exception):
    """No X display to show the till on; the message says why, in a sentence."""


def tk_root() -> tk.Tk:
    """Tk's root on the display, or NoScreen saying why there is none (issue 19: a
    traceback of TclError reached the person)."""
    try:
        return tk.Tk()
    except tk.TclError as exc:
        raise NoScreen(f"posapp cannot open its window on this screen ({exc})") from exc


def wake_on_signal(root: tk.Misc, action: Callable[[], object]) -> None:
    """SIGTERM runs `action` on the Tk thread.

    Python runs a signal's handler only when Tk's loop returns to it, and an idle Tk loop
    waits for its next event. So the signal also wakes Tk: Python writes it to a pipe
    (signal.set_wakeup_fd) that Tk watches, where Tk has file handlers."""
    signal.signal(signal.SIGTERM, lambda *_a: root.after(0, action))
    read, write = os.pipe()
    os.set_blocking(read, False)
    os.set_blocking(write, False)
    try:
        root.tk.createfilehandler(read, tk.READABLE, lambda *_a: os.read(read, 512))
    except (AttributeError, tk.TclError):  # no file handlers (Windows): the next event runs it
        os.close(read)
        os.close(write)
        return
    signal.set_wakeup_fd(write)
