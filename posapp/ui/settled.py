"""The settler's news at the till (issue 19.10): each movement it settled is said on the panel
(core.till.Till.settled, in core/settled.py's words: what happened, whether to hand over the
goods) and on a short slip, printed. `announce` is called from the settler's thread."""

from __future__ import annotations

from datetime import datetime

from posapp.core.entry import Entry
from posapp.core.receipt import Receipt
from posapp.core.settled import settled
from posapp.core.till_events import Settled
from posapp.i18n import _
from posapp.ui.host import ScreenHost


def announce(window: ScreenHost, entries: list[Entry]) -> None:
    """From any thread: the panel says each one, and its slip prints."""
    window.worker.post(lambda: _said(window, entries))


def _said(window: ScreenHost, entries: list[Entry]) -> None:
    for entry in entries:
        made_at = datetime.fromtimestamp(entry.created_at).astimezone()
        said = settled(entry, window.locale, made_at)
        window.send(Settled(said.words, said.tone))
        window.worker.submit(
            lambda entry=entry: _print(window, entry),  # type: ignore[misc]
            lambda slip: _printed(window, slip),
            lambda error: window.send(
                Settled(
                    _("Its slip was not printed: {why}").format(why=window.words_for(error)),
                    "warn",
                )
            ),
        )


def _print(window: ScreenHost, entry: Entry) -> tuple[Receipt, bytes]:
    """On the worker: the slip, made and printed."""
    slip = window.terminal.settled_slip(entry)
    return slip, window.services_.printer.print(slip).data


def _printed(window: ScreenHost, printed: tuple[Receipt, bytes]) -> None:
    slip, job = printed
    window.services_.last.keep(slip)  # F9 prints it again
    window.last_job = job
    window.on_painted("receipt")
