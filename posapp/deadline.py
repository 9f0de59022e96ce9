"""How long the till waits for a money call, from config.md's [provider] timeouts: the one
figure that the till's deadline, closing posapp during a call and `posapp check` all say
(issue 19: closing said 35 s where `check` said 10 s a call)."""

from __future__ import annotations

from posapp.config import ProviderConfig

PRINT_S = 5  # the receipt's own time: the printer's status, then the job


def deadline_s(provider: ProviderConfig) -> float:
    """A money call's whole wait: the movement within its deadline_s (or timeout_s), a look
    at the store's config before it (cash-out) and the card's re-read after it within
    timeout_s each, and a few seconds to print."""
    return (provider.deadline_s or provider.timeout_s) + 2 * provider.timeout_s + PRINT_S


def in_words(provider: ProviderConfig) -> str:
    """What `posapp check` says of it."""
    return (
        f"a call to the provider gives up after {provider.timeout_s:g} s; a money movement, "
        f"with its card read again and its receipt, is waited for at most "
        f"{deadline_s(provider):.0f} s (as long when posapp is closed during one)"
    )
