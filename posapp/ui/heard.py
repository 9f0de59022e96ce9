"""What follows an event the till handled, beside drawing it (ui/window.py's `send`): the
status bar looks again at once where the event showed the provider gone or a call answered
(ui/status_bar.py), and an offline refusal goes to the till's log, in the words the cashier
read (trial 6B, 10: over the floor, the shift's limit, a card never seen online, a second
offline redemption on a card: none was logged, though the README says the log holds what the
cashier was told when something was refused)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from posapp.core import till_events as ev
from posapp.core.till import Till
from posapp.ui.status_bar import StatusBar

log = logging.getLogger("posapp.offline")


class Window(Protocol):
    """What this reads of the window (ui/window.py's CashierWindow)."""

    @property
    def till(self) -> Till: ...
    @property
    def status_bar(self) -> StatusBar: ...


def heard(window: Window, event: ev.TillEvent, effects: Sequence[ev.Effect]) -> None:
    window.status_bar.heard(event)
    till = window.till
    if ev.Sound("bad") not in effects or not till.message:
        return
    selling = till.selling_offline
    offline = isinstance(event, ev.CardSeen) or selling.seen_card(till.card) is not None
    if offline or (till.offline and selling.on):
        log.info("refused offline: %s", till.message)
