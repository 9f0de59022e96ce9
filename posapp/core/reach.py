"""Whether the gift card provider can be reached, in the cashier's words. Pure.

The till trial (42): with the provider back and the status bar green again, the red "cannot
be reached" line stayed on the panel until the next action; the status watch now replaces it.
"""

PROVIDER_DOWN = "The gift card provider cannot be reached: check the network, then try again"
BACK = "The gift card provider answers again"
# Said before a manager's PIN is asked for a call that could not be sent (the retrial of a
# till, 6: F6 asked the PIN under a red OFFLINE, then said "Not sent").
OFFLINE_FIRST = (
    "Not sent: the gift card provider cannot be reached (OFFLINE below); nothing happened. "
    "Check the network, then try again"
)


def stale(phase: str, message: str) -> bool:
    """The panel says the provider cannot be reached, with nothing open over it."""
    return phase in ("idle", "card") and message.startswith(PROVIDER_DOWN)
