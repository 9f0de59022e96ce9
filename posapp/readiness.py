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
from posapp.i18n import N_, _

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
        return Finding(_("Manager PIN: not asked for anything (manager.require_pin_for is empty)"))
    if not config.manager.pin_hash:
        keys = ", ".join(key for action, key in PIN_KEYS.items() if action in asked)
        said = (
            _(
                "Manager PIN: none is set, and {keys} ask for it: set one with `posapp "
                "set-pin` (a running till takes it at once)"
            )
            if keys
            else _(
                "Manager PIN: none is set, and the manager screens ask for it: set one with "
                "`posapp set-pin` (a running till takes it at once)"
            )
        )
        return Finding(said.format(keys=keys), ok=False)
    if not pin_hash_readable(config.manager.pin_hash):
        return Finding(
            _(
                "Manager PIN: manager.pin_hash is not a hash `posapp set-pin` writes; no PIN "
                "would match it: set the PIN again with `posapp set-pin`"
            ),
            ok=False,
        )
    what = ", ".join(_(PIN_ACTION[a]).lower() for a in asked)
    return Finding(_("Manager PIN: set; asked to {what}").format(what=what))


def pin_hash_readable(stored: str) -> bool:
    """scrypt$N$r$p$salt$digest, as adapters.secrets.hash_pin writes it."""
    parts = stored.split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and all(p.isdigit() for p in parts[1:4])


def serial_ports(config: Config) -> list[Finding]:
    """A serial device named in the config that this machine does not have (a pyserial URL
    such as loop:// or socket://, which no file stands for, is not looked for)."""
    named = []
    if config.scanner.mode in ("serial", "both"):
        named.append(
            (
                _("Scanner port: {port} is there"),
                _(
                    "Scanner port: {port} does not exist on this machine: plug the scanner in, "
                    "or set {key} to the port it is on ({look}), or {wedge} for a USB keyboard "
                    "scanner"
                ),
                "scanner.port",
                config.scanner.port,
            )
        )
    if config.printer.transport == "serial":
        named.append(
            (
                _("Printer port: {port} is there"),
                _(
                    "Printer port: {port} does not exist on this machine: plug the printer in, "
                    "or set {key} to the port it is on ({look})"
                ),
                "printer.port",
                str(config.printer.port),
            )
        )
    found = []
    for there, missing, key, port in named:
        if "://" in port or os.path.exists(port):
            found.append(Finding(there.format(port=port)))
            continue
        said = missing.format(
            port=port,
            key=key,
            look="ls /dev/ttyACM* /dev/ttyUSB*",
            wedge='scanner.mode = "wedge"',
        )
        found.append(Finding(said, ok=False))
    return found


def printer(config: Config) -> Finding:
    """A printer that prints nothing must say so (issue 19: "receipt printed", to nowhere)."""
    from posapp.adapters.printer import no_printer_words

    printer = config.printer
    if printer.transport == "virtual" and printer.folder:
        said = _("Receipts: saved as pictures in {folder} (the virtual printer)")
        return Finding(said.format(folder=printer.folder))
    if printer.transport == "virtual":
        return Finding(no_printer_words(printer), ok=False)
    if printer.transport == "none":
        # Chosen on purpose, so not a failure; a refund card's code is shown on screen.
        said = _("{no_printer}; a refund to a new card shows its code on screen")
        return Finding(said.format(no_printer=no_printer_words(printer)))
    return Finding(_("Receipts: printed (`posapp check --print-test` prints a test page)"))


# Where an API's cards are managed (the NewStore trial, finding 6: NewStore read "Square").
CARDS_MANAGED = {
    "square": N_("Square's Dashboard"),
    "adyen": N_("Adyen's Customer Area"),
    "newstore": N_("NewStore and at its gift card provider"),
}


def access_token(config: Config) -> Finding:
    """The till's own token for the provider, in the keyring or the environment; said by
    `posapp check --offline`, which proves nothing with it (the trial of a till, 5b #11: it
    named a missing admin token, not a missing terminal token)."""
    try:
        token_for(config.provider.url)
    except SecretError as exc:
        said = str(exc)
        said = said[:1].lower() + said[1:]
        return Finding(_("Access token: {problem}").format(problem=said), ok=False)
    return Finding(_("Access token: found (`posapp check` without --offline proves it)"))


def admin_token(config: Config, token: str | None) -> Finding:
    """The gift cards screen speaks api.md's admin calls with its own token; Square's cards
    are managed in Square's Dashboard, so a Square till needs none."""
    if config.provider.api != "posapp":  # said for the API it is (it named Square for Adyen)
        where = _(CARDS_MANAGED.get(config.provider.api, N_("the provider's own tools")))
        said = _("Admin token: not needed (the cards are managed in {where})")
        return Finding(said.format(where=where))
    if not token:
        said = _(
            "Admin token: none, so the gift cards screen (F12, Gift cards) cannot open: store "
            "the admin_token that `posapp-provider init` printed with `posapp set-token "
            "--admin` (or set {variable} where this machine has no keyring)"
        )
        return Finding(said.format(variable=ADMIN_VARIABLE), ok=False)
    return Finding(_("Admin token: found"))


def store_name(config: Config, provider_name: str | None) -> Finding | None:
    """The provider's name for the store the token belongs to against [store] name.

    A failure, not a warning: the token decides whose cards and money the till moves, the
    config decides the name on every receipt. Two names mean a token of another store (its
    ledger takes this till's money) or a receipt header that names the wrong shop; both
    are fixed in a minute, and both are worth fixing before the first sale."""
    if provider_name is None:
        return None  # the provider does not say (Square; an older provider)
    if " ".join(provider_name.split()).casefold() == " ".join(config.store.name.split()).casefold():
        said = _("Store name: {name}, as the provider has it")
        return Finding(said.format(name=config.store.name))
    said = _(
        "Store name: the config says {ours}, the provider {theirs}: if the token is another "
        "store's, store this store's with `posapp set-token`; else set [store] name to the "
        "provider's (it prints on every receipt)"
    )
    return Finding(said.format(ours=repr(config.store.name), theirs=repr(provider_name)), ok=False)


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
        said = _(
            "Journal: {path}: only {free} free on its disk. Free some space there: once it is "
            "full, the till moves no more money"
        )
        return Finding(said.format(path=path, free=_size(free)), ok=False)
    said = (
        _("Journal: {path} (it can be written; {free} free on its disk)")
        if path.exists()
        else _("Journal: {path} (not made yet: posapp makes it at start; {free} free on its disk)")
    )
    return Finding(said.format(path=path, free=_size(free)))


def _size(count: int) -> str:
    amount = float(count)
    for unit in ("bytes", "kB", "MB", "GB"):
        if amount < 1000:
            return f"{count} bytes" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{amount:.1f} TB"
