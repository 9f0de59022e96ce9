"""Whether the gift card provider can be reached, in the cashier's words. Pure.

The till trial (42): with the provider back and the status bar green again, the red "cannot
be reached" line stayed on the panel until the next action; the status watch now replaces it.
The trial of a till (5b #9): so it stayed after a redemption "Not sent: nothing happened. The
gift card provider cannot be reached...", or a card's check: the line is found inside too.
"""

from posapp.core.entry import NOT_SENT
from posapp.i18n import N_, _

# Each translated where it is said: _(PROVIDER_DOWN).
PROVIDER_DOWN = N_("The gift card provider cannot be reached: check the network, then try again")
BACK = N_("The gift card provider answers again")
# Said before a manager's PIN is asked for a call that could not be sent (the retrial of a
# till, 6: F6 asked the PIN under a red OFFLINE, then said "Not sent").
OFFLINE_FIRST = N_(
    "Not sent: the gift card provider cannot be reached (OFFLINE below); nothing happened. "
    "Check the network, then try again"
)


def stale(phase: str, message: str) -> bool:
    """The panel says the provider cannot be reached, with nothing open over it."""
    return phase in ("idle", "card") and (PROVIDER_DOWN in message or _(PROVIDER_DOWN) in message)


def back(phase: str, message: str) -> str:
    """What a stale line becomes ("" for any other): the provider answers again, after "Not
    sent: nothing happened." where the line said so (the money did not move)."""
    if not stale(phase, message):
        return ""
    if message.startswith((NOT_SENT, _(NOT_SENT))):
        return f"{_(NOT_SENT)} {_(BACK)}"
    return _(BACK)
