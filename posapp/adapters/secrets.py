"""Secrets: the provider token (keyring, else the environment) and the manager PIN (scrypt).

The token never lives in the config file or a log (product.md, "Secrets and privacy").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from posapp.core.errors import ForPeople
from posapp.core.glossary import day
from posapp.core.pin_lock import MAX_TRIES, Now, PinLock, duration
from posapp.i18n import _, ngettext

KEYRING_SERVICE = "posapp"
TOKEN_VARIABLE = "POSAPP_PROVIDER_TOKEN"  # noqa: S105 - the variable's name, not a secret
ADMIN_VARIABLE = "POSAPP_ADMIN_TOKEN"  # the admin token's (the gift cards screen)

# scrypt at n=2**15, r=8 takes about 50 ms here: slow for a guesser, quick for a manager.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# scrypt needs 128 * n * r bytes: 32 MiB here, exactly OpenSSL's default cap, so say more.
SCRYPT_MAXMEM = 64 * 1024 * 1024


class SecretError(ForPeople):
    """A secret that is missing or wrong, with what to do."""


def token_for(url: str, environ: dict[str, str] | None = None) -> str:
    """The keyring's token for this provider (user = the url), else POSAPP_PROVIDER_TOKEN."""
    import keyring
    from keyring.errors import KeyringError

    try:
        found = keyring.get_password(KEYRING_SERVICE, url)
    except KeyringError:
        found = None
    if found:
        return found
    env = os.environ if environ is None else environ
    if env.get(TOKEN_VARIABLE):
        return env[TOKEN_VARIABLE]
    said = _(
        "No provider token for {url}: store it with `posapp set-token` (it goes to the "
        "keyring), or set {variable} where this machine has no keyring"
    )
    raise SecretError(said.format(url=url, variable=TOKEN_VARIABLE))


def store_token(url: str, token: str, variable: str = TOKEN_VARIABLE) -> None:
    """`variable`: the environment variable that stands in for this token where the keyring
    refuses it (the admin token's is POSAPP_ADMIN_TOKEN)."""
    import keyring
    from keyring.errors import KeyringError

    if not token.strip():
        raise SecretError(_("The token is empty"))
    try:
        keyring.set_password(KEYRING_SERVICE, url, token.strip())
    except KeyringError as exc:
        said = _(
            "This machine's keyring refused the token ({error}): set {variable} in the "
            "terminal's environment instead"
        )
        raise SecretError(said.format(error=type(exc).__name__, variable=variable)) from exc


def hash_pin(pin: str) -> str:
    """A salted scrypt hash, as config.md's manager.pin_hash keeps it."""
    if not (4 <= len(pin) <= 12 and pin.isdigit() and pin.isascii()):
        raise SecretError(_("A PIN is 4 to 12 digits"))
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32, maxmem=SCRYPT_MAXMEM
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
            maxmem=SCRYPT_MAXMEM,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


class PinState(Protocol):
    """Where the lock lives (the journal), so that a restart does not reset it."""

    def pin_lock(self) -> PinLock: ...
    def set_pin_lock(self, lock: PinLock, *, wrong: bool) -> None: ...


def boot_id() -> str:
    """This boot's id (Linux), so that a lock taken before a restart of posapp still runs on
    the monotonic clock; elsewhere this process's own, and a restart falls back to the wall
    clock, bounded by the lock's length (core.pin_lock)."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return f"process-{os.getpid()}-{_PROCESS_TOKEN}"


_PROCESS_TOKEN = secrets.token_hex(8)


def system_now() -> Now:
    return Now(time.time(), time.monotonic(), boot_id())


class ManagerPin:
    """Checks the manager PIN; after MAX_TRIES wrong ones in a row it is locked, a minute the
    first time and twice as long each lock-out after, up to an hour (core.pin_lock). The
    lock lives in the journal, so restarting the terminal does not reset it."""

    def __init__(
        self, stored_hash: str, state: PinState, clock: Callable[[], Now] = system_now
    ) -> None:
        self.stored_hash = stored_hash
        self.state = state
        self.clock = clock

    def check(self, pin: str) -> str:
        """The right PIN: "" or, when wrong PINs were tried since the last right one, words
        saying how many and when, for the manager who just entered it. SecretError saying
        why not otherwise."""
        if not self.stored_hash:
            raise SecretError(_("No manager PIN is set: set one with `posapp set-pin`"))
        lock = self.state.pin_lock()
        now = self.clock()
        left = lock.left(now)
        if left > 0:
            said = _("Too many wrong PINs: locked for {duration} more")
            raise SecretError(said.format(duration=duration(left)))
        if pin_matches(pin, self.stored_hash):
            if lock != lock.right_pin():
                self.state.set_pin_lock(lock.right_pin(), wrong=False)
            return wrong_tries_words(lock)
        after = lock.wrong_pin(now)
        self.state.set_pin_lock(after, wrong=True)
        if after.left(now) > 0:
            said = _(
                "Wrong PIN, {count} times: locked for {duration}; each lock-out doubles the "
                "next, up to an hour, until the right PIN is entered"
            )
            raise SecretError(said.format(count=MAX_TRIES, duration=duration(after.lock_s)))
        left_words = ngettext(
            "Wrong PIN ({count} try left)", "Wrong PIN ({count} tries left)", after.tries_left
        )
        raise SecretError(left_words.format(count=after.tries_left))


def wrong_tries_words(lock: PinLock) -> str:
    """What the manager reads once the right PIN is in: how many wrong ones came before it."""
    if not lock.wrong:
        return ""
    last = datetime.fromtimestamp(lock.last_wrong_at).astimezone()
    # "(the last on 05 Dec at 21:25)" read as "the last what?" (the demo trial, 6).
    said = ngettext(
        "{count} wrong PIN before this one (the latest {day}, {time}): if that was not a "
        "manager, change the PIN",
        "{count} wrong PINs before this one (the latest {day}, {time}): if that was not a "
        "manager, change the PIN",
        lock.wrong,
    )
    return said.format(count=lock.wrong, day=day(last), time=f"{last:%H:%M}")
