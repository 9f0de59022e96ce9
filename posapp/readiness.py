"""What a till needs before its first sale, as `posapp check` says it (issue 19): a manager
PIN, the serial ports it names, a printer that prints, the admin token for the gift cards
screen, the store's name as the provider has it, and a journal it can write. Each finding is a line in words and
whether it holds; what does not hold says what to do, and `check` exits 1."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from posapp.adapters.secrets import ADMIN_VARIABLE, SecretError, token_for
from posapp.config import Config
from posapp.core.glossary import PIN_ACTION

# The keys behind each [manager] require_pin_for action, as the cashier presses them.
PIN_KEYS = {"refund": "F6", "reverse": "F7", "cash_out": "F8", "cards": "F12"}


@dataclass(frozen=True, slots=True)
class Finding:
    words: str
    ok: bool = True


def manager_pin(config: Config) -> Finding:
    """A PIN the config asks for must be set: without one, those keys only say so."""
    asked = list(config.manager.require_pin_for)
    if not asked:
        return Finding("Manager PIN: not asked for anything (manager.require_pin_for is empty)")
    if not config.manager.pin_hash:
        keys = ", ".join(key for action, key in PIN_KEYS.items() if action in asked)
        return Finding(
            f"Manager PIN: none is set, and {keys or 'the manager screens'} ask for it: set "
            "one with `posapp set-pin` (a running till takes it at once)",
            ok=False,
        )
    if not pin_hash_readable(config.manager.pin_hash):
        return Finding(
            "Manager PIN: manager.pin_hash is not a hash `posapp set-pin` writes; no PIN "
            "would match it: set the PIN again with `posapp set-pin`",
            ok=False,
        )
    what = ", ".join(PIN_ACTION[a].lower() for a in asked)
    return Finding(f"Manager PIN: set; asked to {what}")


def pin_hash_readable(stored: str) -> bool:
    """scrypt$N$r$p$salt$digest, as adapters.secrets.hash_pin writes it."""
    parts = stored.split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and all(p.isdigit() for p in parts[1:4])


def serial_ports(config: Config) -> list[Finding]:
    """A serial device named in the config that this machine does not have (a pyserial URL
    such as loop:// or socket://, which no file stands for, is not looked for)."""
    named = []
    if config.scanner.mode in ("serial", "both"):
        named.append(("Scanner", "scanner.port", config.scanner.port))
    if config.printer.transport == "serial":
        named.append(("Printer", "printer.port", str(config.printer.port)))
    found = []
    for who, key, port in named:
        if "://" in port or os.path.exists(port):
            found.append(Finding(f"{who} port: {port} is there"))
            continue
        found.append(
            Finding(
                f"{who} port: {port} does not exist on this machine: plug the {who.lower()} "
                f"in, or set {key} to the port it is on (ls /dev/ttyACM* /dev/ttyUSB*)"
                + (
                    ', or scanner.mode = "wedge" for a USB keyboard scanner'
                    if key[0] == "s"
                    else ""
                ),
                ok=False,
            )
        )
    return found


def printer(config: Config) -> Finding:
    """A printer that prints nothing must say so (issue 19: "receipt printed", to nowhere)."""
    from posapp.adapters.printer import no_printer_words

    printer = config.printer
    if printer.transport == "virtual" and printer.folder:
        return Finding(f"Receipts: saved as pictures in {printer.folder} (the virtual printer)")
    if printer.transport == "virtual":
        return Finding(no_printer_words(printer), ok=False)
    if printer.transport == "none":
        # Chosen on purpose, so not a failure; a refund card's code is shown on screen.
        return Finding(
            no_printer_words(printer) + "; a refund to a new card shows its code on screen"
        )
    return Finding("Receipts: printed (`posapp check --print-test` prints a test page)")


# Where an API's cards are managed (the NewStore trial, finding 6: NewStore read "Square").
CARDS_MANAGED = {
    "square": "Square's Dashboard",
    "adyen": "Adyen's Customer Area",
    "newstore": "NewStore and at its gift card provider",
}


def access_token(config: Config) -> Finding:
    """The till's own token for the provider, in the keyring or the environment; said by
    `posapp check --offline`, which proves nothing with it (the trial of a till, 5b #11: it
    named a missing admin token, not a missing terminal token)."""
    try:
        token_for(config.provider.url)
    except SecretError as exc:
        said = str(exc)
        return Finding(f"Access token: {said[:1].lower()}{said[1:]}", ok=False)
    return Finding("Access token: found (`posapp check` without --offline proves it)")


def admin_token(config: Config, token: str | None) -> Finding:
    """The gift cards screen speaks api.md's admin calls with its own token; Square's cards
    are managed in Square's Dashboard, so a Square till needs none."""
    if config.provider.api != "posapp":  # said for the API it is (it named Square for Adyen)
        where = CARDS_MANAGED.get(config.provider.api, "the provider's own tools")
        return Finding(f"Admin token: not needed (the cards are managed in {where})")
    if not token:
        return Finding(
            "Admin token: none, so the gift cards screen (F12, Gift cards) cannot open: store "
            "the admin_token that `posapp-provider init` printed with `posapp set-token "
            f"--admin` (or set {ADMIN_VARIABLE} where this machine has no keyring)",
            ok=False,
        )
    return Finding("Admin token: found")


def store_name(config: Config, provider_name: str | None) -> Finding | None:
    """The provider's name for the store the token belongs to against [store] name.

    A failure, not a warning: the token decides whose cards and money the till moves, the
    config decides the name on every receipt. Two names mean a token of another store (its
    ledger takes this till's money) or a receipt header that names the wrong shop; both
    are fixed in a minute, and both are worth fixing before the first sale."""
    if provider_name is None:
        return None  # the provider does not say (Square; an older provider)
    if " ".join(provider_name.split()).casefold() == " ".join(config.store.name.split()).casefold():
        return Finding(f"Store name: {config.store.name}, as the provider has it")
    return Finding(
        f"Store name: the config says {config.store.name!r}, the provider {provider_name!r}: "
        "if the token is another store's, store this store's with `posapp set-token`; "
        "else set [store] name to the provider's (it prints on every receipt)",
        ok=False,
    )


LOW_DISK = 5_000_000  # bytes: thousands of journal entries, but the end is in sight


def journal(path: Path) -> Finding:
    """The journal can be written (when not: the sentence the till says at start, naming
    the file and what to do), with room left on its disk (issue 18)."""
    from posapp.adapters.journal_health import free_bytes, probe

    problem = probe(path)
    if problem is not None:
        return Finding(str(problem), ok=False)
    free = free_bytes(path)
    if free < LOW_DISK:
        return Finding(
            f"Journal: {path}: only {_size(free)} free on its disk. Free some space there: "
            "once it is full, the till moves no more money",
            ok=False,
        )
    state = "it can be written" if path.exists() else "not made yet: posapp makes it at start"
    return Finding(f"Journal: {path} ({state}; {_size(free)} free on its disk)")


def _size(count: int) -> str:
    amount = float(count)
    for unit in ("bytes", "kB", "MB", "GB"):
        if amount < 1000:
            return f"{count} bytes" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{amount:.1f} TB"
