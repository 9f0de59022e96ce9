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
from typing import Protocol

KEYRING_SERVICE = "posapp"
TOKEN_VARIABLE = "POSAPP_PROVIDER_TOKEN"  # noqa: S105 - the variable's name, not a secret

# scrypt at n=2**15, r=8 takes about 50 ms here: slow for a guesser, quick for a manager.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# scrypt needs 128 * n * r bytes: 32 MiB here, exactly OpenSSL's default cap, so say more.
SCRYPT_MAXMEM = 64 * 1024 * 1024
MAX_TRIES = 5
LOCK_SECONDS = 60.0


class SecretError(Exception):
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
    raise SecretError(
        f"No provider token for {url}: store it with `posapp set-token` (it goes to the "
        f"keyring), or set {TOKEN_VARIABLE} where this machine has no keyring"
    )


def store_token(url: str, token: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    if not token.strip():
        raise SecretError("The token is empty")
    try:
        keyring.set_password(KEYRING_SERVICE, url, token.strip())
    except KeyringError as exc:
        raise SecretError(
            f"This machine's keyring refused the token ({type(exc).__name__}): set "
            f"{TOKEN_VARIABLE} in the terminal's environment instead"
        ) from exc


def hash_pin(pin: str) -> str:
    """A salted scrypt hash, as config.md's manager.pin_hash keeps it."""
    if not (4 <= len(pin) <= 12 and pin.isdigit() and pin.isascii()):
        raise SecretError("A PIN is 4 to 12 digits")
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
    def pin_state(self) -> tuple[int, float]: ...
    def set_pin_state(self, failures: int, locked_until: float) -> None: ...


class ManagerPin:
    """Checks the manager PIN; after MAX_TRIES wrong ones it is locked for LOCK_SECONDS. The
    count lives in the journal, so restarting the terminal does not reset it."""

    def __init__(
        self, stored_hash: str, state: PinState, clock: Callable[[], float] = time.time
    ) -> None:
        self.stored_hash = stored_hash
        self.state = state
        self.clock = clock

    def check(self, pin: str) -> None:
        """Nothing when right; SecretError saying why not."""
        if not self.stored_hash:
            raise SecretError("No manager PIN is set: set one with `posapp set-pin`")
        failures, locked_until = self.state.pin_state()
        now = self.clock()
        if now < locked_until:
            raise SecretError(
                f"Too many wrong PINs: locked for {int(locked_until - now) + 1} s more"
            )
        if pin_matches(pin, self.stored_hash):
            self.state.set_pin_state(0, 0.0)
            return
        failures += 1
        if failures >= MAX_TRIES:
            self.state.set_pin_state(0, now + LOCK_SECONDS)
            raise SecretError(f"Wrong PIN, {MAX_TRIES} times: locked for {int(LOCK_SECONDS)} s")
        self.state.set_pin_state(failures, 0.0)
        raise SecretError(f"Wrong PIN ({MAX_TRIES - failures} tries left)")
