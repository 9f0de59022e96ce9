"""`posapp` and its subcommands. Nothing happens at import; each command imports what it uses
so that `posapp check` does not pay for Tk and the window does not pay for the provider."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from posapp.command_help import HelpWithDefaults
from posapp.i18n import N_, _

if TYPE_CHECKING:
    from posapp.config import Config


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("posapp") / "posapp.toml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posapp", description="The gift card terminal.", formatter_class=HelpWithDefaults
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="the config file (default: posapp.toml in the user config folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, words: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=words, description=words, formatter_class=HelpWithDefaults)

    run = command("run", "the terminal with your config (the default)")
    # For benchmarks/ui_latency.py: open the window, say when it is ready, and close.
    run.add_argument("--ready-and-exit", action="store_true", help=argparse.SUPPRESS)
    demo = command("demo", "provider, simulated scanner and printer, and the window")
    demo.add_argument("--no-window", action="store_true", help="start the rest, print, and wait")
    demo.add_argument(
        "--api",
        choices=["posapp", "square", "adyen", "newstore"],
        default="posapp",
        help="the provider's API: the reference provider, a fake of Square's Gift Cards API, "
        "a fake of Adyen's (Checkout and Stored Value), or a fake of NewStore's Gift Card API",
    )
    demo.add_argument(
        "--language",
        choices=["en", "de", "fr", "es"],
        help="the screens' and receipts' language (default: the config's [terminal] language)",
    )
    check = command(
        "check",
        "config, patterns, scanner, printer and provider in words; exits 1 when any fails",
    )
    check.add_argument("--scan", action="store_true", help="listen on the scanner, one line a scan")
    check.add_argument("--print-test", action="store_true", help="print a test page")
    check.add_argument(
        "--count", type=int, help="with --scan: stop after this many (default: never)"
    )
    check.add_argument("--offline", action="store_true", help="do not call the provider")
    tester = command(
        "pattern",
        "which pattern a scanned text matches and the serial; or the closest, and why (exit 1)",
    )
    tester.add_argument("text", help="what the scanner sends")
    token = command(
        "set-token",
        "store the provider's token in the keyring (typed, or from stdin): the terminal_token "
        "that `posapp-provider init` printed; where there is no keyring, set "
        "POSAPP_PROVIDER_TOKEN instead",
    )
    token.add_argument(
        "--admin",
        action="store_true",
        help="the admin token instead (admin_token from `posapp-provider init`), for the gift "
        "cards screen; where there is no keyring, set POSAPP_ADMIN_TOKEN instead",
    )
    command(
        "set-pin",
        "set the manager PIN (salted scrypt, in the config file); a running till takes it",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    from posapp.redact import install

    install()  # every log line passes the redactor: serials masked, tokens removed
    import logging

    # httpx says INFO "HTTP Request: GET ..." for every call, the status check's every 10 s
    # among them: on a till that is a console (or ~/.xsession-errors) filling up with lines
    # nobody acts on (the till trial, 50). Its warnings still show.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if command not in ("run", "demo"):
        # A command a person reads says its own words: warnings, not libraries' INFO lines
        # (httpx's "HTTP Request: GET ..." in the middle of `posapp check`).
        logging.getLogger().setLevel(logging.WARNING)
    from posapp.config import ConfigError, ensure_config, load_config

    window = command == "run" or (command == "demo" and not args.no_window)
    if window and (missing := screen_missing()):
        print(missing, file=sys.stderr)
        return NO_SCREEN
    path: Path = args.config or default_config_path()
    try:
        config = load_config(ensure_config(path) if args.config is None else path)
    except ConfigError as exc:
        from posapp.i18n import use

        use("")  # the config cannot say its language: the OS's
        heading = _("The config file {path} cannot be used:").format(path=path)
        print(heading, file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        if window:  # a kiosk's screen says it too: no one reads its stderr
            from posapp.ui.cannot_start import show

            show(heading, exc.problems, _(FIX_THE_FILE))
        return 2
    if command == "demo" and args.language:
        from dataclasses import replace

        config = replace(config, terminal=replace(config.terminal, language=args.language))
    if window:
        return _with_window(command, config, path, args)
    if command == "pattern":
        from posapp.app import journal_path
        from posapp.check import describe_scan

        words, matched = describe_scan(config, args.text, journal_path(config))
        print(words)
        return 0 if matched else 1
    if command == "set-token":
        return _set_token(config.provider.url, admin=args.admin)
    if command == "set-pin":
        return _set_pin(path)
    if command == "check":
        return _check(config, path, args)
    from posapp.demo import run_demo

    return run_demo(config, window=False, api=args.api)


# The exit codes of a till that cannot start, besides 2 (the config cannot be used).
NO_SCREEN = 3
INTERNAL = 70  # EX_SOFTWARE (sysexits.h)
FIX_THE_FILE = N_(
    "Fix the file (each line above names its key), then start posapp again. In a terminal, "
    "`posapp check` says the same and what else the till needs."
)


def screen_missing() -> str | None:
    """One sentence when there is no X display to open the window on."""
    import os

    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        return (
            "posapp needs a screen, and there is none here (DISPLAY is not set): start it in "
            "the till's X session (see the README, kiosk), or `posapp demo --no-window` "
            "for the demo without its window."
        )
    return None


def _with_window(command: str, config: Config, path: Path, args: argparse.Namespace) -> int:
    """The till or the demo with its window; what stops them is said in a sentence (and in
    a window where there is a screen), never as a traceback."""
    from posapp.ui.tk_root import NoScreen

    try:
        if command == "demo":
            from posapp.demo import run_demo

            return run_demo(config, window=True, api=args.api)
        from posapp.app import run_terminal

        till_log()
        return run_terminal(config, path, ready_and_exit=getattr(args, "ready_and_exit", False))
    except NoScreen as exc:
        print(f"{exc}.", file=sys.stderr)
        return NO_SCREEN
    except Exception as exc:  # house rule 6: logged with its traceback, said in words
        log = _log_internal(exc)
        heading = _("posapp stopped: an internal error ({error}).").format(error=type(exc).__name__)
        todo = _("The details are in {log}; start posapp again.").format(log=log)
        print(f"{heading} {todo}", file=sys.stderr)
        from posapp.ui.cannot_start import show

        show(heading, [], todo)
        return INTERNAL


def till_log() -> Path:
    """The till's log: ~/.local/share/posapp/posapp.log on Linux (the README's "Where things
    are"), beside the journal; card numbers masked, tokens and PINs never in it."""
    from platformdirs import user_data_path

    from posapp.redact import to_file

    return to_file(user_data_path("posapp") / "posapp.log")


def _log_internal(error: BaseException) -> Path:
    """The traceback to a file (redacted as every log line), not to the person's screen."""
    import logging

    from platformdirs import user_log_path

    from posapp.redact import Redactor

    path = user_log_path("posapp") / "posapp.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(Redactor())
    logger = logging.getLogger("posapp.crash")
    logger.propagate = False  # the traceback goes to the file only
    logger.addHandler(handler)
    logger.error("posapp stopped", exc_info=error)
    handler.close()
    return path


def _check(config: Config, path: Path, args: argparse.Namespace) -> int:
    """`posapp check`: 0 when everything it looked at works, 1 when anything failed."""
    from posapp import check, readiness
    from posapp.app import admin_token_for, journal_path

    admin = admin_token_for(config.provider.url)
    said, store = ([], None) if args.offline else check.describe_provider(config, admin)
    ok = args.offline or store is not None
    print(check.describe_config(config, path, store.currency if store else None), flush=True)
    if said:
        if store is None:  # the line that failed, marked as the findings below are
            said = [*said[:-1], f"NOT READY: {said[-1]}"]
        print("\n".join(said), flush=True)
    proved = any(line.startswith("Admin token:") for line in said)
    findings = [
        readiness.access_token(config) if args.offline else None,  # else proved above
        readiness.manager_pin(config),
        readiness.printer(config),
        *readiness.serial_ports(config),
        # Said once: the provider's "works" (or "refused") stands for the "found" (the till
        # trial, 8: "Admin token: works ..." and then "Admin token: found").
        None if proved else readiness.admin_token(config, admin),
        readiness.store_name(config, store.store_name if store else None),
        readiness.journal(journal_path(config)),
    ]
    for finding in findings:
        if finding is not None:
            print(finding.words if finding.ok else f"NOT READY: {finding.words}", flush=True)
            ok = ok and finding.ok
    if args.print_test:
        words, printed = check.print_test_page(config)
        print(words, flush=True)
        ok = ok and printed
    if args.scan:
        ok = check.listen_for_scans(config, args.count) == 0 and ok
    if not ok:
        print("Something above needs fixing (posapp check exits 1).", file=sys.stderr)
    return 0 if ok else 1


def _set_token(url: str, *, admin: bool = False) -> int:
    import getpass

    from posapp.adapters.secrets import ADMIN_VARIABLE, SecretError, store_token

    which = "admin token" if admin else "token"
    token = (
        getpass.getpass(f"The {which} for {url}: ") if sys.stdin.isatty() else sys.stdin.readline()
    )
    try:
        if admin:
            store_token(f"{url}#admin", token, variable=ADMIN_VARIABLE)
        else:
            store_token(url, token)
    except SecretError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"The {which} for {url} is in the keyring.")
    return 0


def _set_pin(path: Path) -> int:
    import getpass

    from posapp.adapters.secrets import SecretError, hash_pin
    from posapp.config_file import set_value

    if sys.stdin.isatty():
        pin, again = getpass.getpass("New manager PIN: "), getpass.getpass("Once more: ")
    else:
        pin = again = sys.stdin.readline().strip()
    if pin != again:
        print("The two PINs differ; nothing changed.", file=sys.stderr)
        return 2
    try:
        hashed = hash_pin(pin)
    except SecretError as exc:
        print(exc, file=sys.stderr)
        return 2
    # The file's comments and layout stay: the person who set it up wrote them.
    set_value(path, "manager", "pin_hash", hashed)
    print(f"The manager PIN is set (in {path}, as a salted scrypt hash).")
    return 0
