"""`posapp` and its subcommands. Nothing happens at import; each command imports what it uses
so that `posapp check` does not pay for Tk and the window does not pay for the provider."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("posapp") / "posapp.toml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posapp", description="The gift card terminal.")
    parser.add_argument(
        "--config",
        type=Path,
        help="the config file (default: posapp.toml in the user config folder)",
    )
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="the terminal with your config (the default)")
    # For benchmarks/ui_latency.py: open the window, say when it is ready, and close.
    run.add_argument("--ready-and-exit", action="store_true", help=argparse.SUPPRESS)
    demo = sub.add_parser("demo", help="provider, simulated scanner and printer, and the window")
    demo.add_argument("--no-window", action="store_true", help="start the rest, print, and wait")
    check = sub.add_parser("check", help="config, patterns, scanner, printer and provider in words")
    check.add_argument("--scan", action="store_true", help="listen on the scanner, one line a scan")
    check.add_argument("--print-test", action="store_true", help="print a test page")
    check.add_argument("--count", type=int, help="with --scan: stop after this many scans")
    check.add_argument("--offline", action="store_true", help="do not call the provider")
    tester = sub.add_parser("pattern", help="which pattern a scanned text matches, and the serial")
    tester.add_argument("text", help="what the scanner sends")
    token = sub.add_parser("set-token", help="store the provider token in the keyring (from stdin)")
    token.add_argument(
        "--admin",
        action="store_true",
        help="the admin token, for the gift cards screen (else the terminal's)",
    )
    sub.add_parser("set-pin", help="set the manager PIN (salted scrypt, in the config file)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    from posapp.redact import install

    install()  # every log line passes the redactor: serials masked, tokens removed
    from posapp.config import ConfigError, ensure_config, load_config

    path: Path = args.config or default_config_path()
    try:
        config = load_config(ensure_config(path) if args.config is None else path)
    except ConfigError as exc:
        print(f"The config file {path} cannot be used:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    if command == "pattern":
        from posapp.check import describe_scan

        print(describe_scan(config, args.text))
        return 0
    if command == "set-token":
        return _set_token(config.provider.url, admin=args.admin)
    if command == "set-pin":
        return _set_pin(path)
    if command == "check":
        from posapp import check

        print(check.describe_config(config, path), flush=True)
        if not args.offline:
            print("\n".join(check.describe_provider(config)), flush=True)
        if args.print_test:
            print(check.print_test_page(config), flush=True)
        if args.scan:
            return check.listen_for_scans(config, args.count)
        return 0
    if command == "demo":
        from posapp.demo import run_demo

        return run_demo(config, window=not args.no_window)
    from posapp.app import run_terminal

    return run_terminal(config, path, ready_and_exit=getattr(args, "ready_and_exit", False))


def _set_token(url: str, *, admin: bool = False) -> int:
    import getpass

    from posapp.adapters.secrets import SecretError, store_token

    which = "admin token" if admin else "token"
    token = (
        getpass.getpass(f"The {which} for {url}: ") if sys.stdin.isatty() else sys.stdin.readline()
    )
    try:
        store_token(f"{url}#admin" if admin else url, token)
    except SecretError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"The {which} for {url} is in the keyring.")
    return 0


def _set_pin(path: Path) -> int:
    import getpass

    import tomlkit

    from posapp.adapters.secrets import SecretError, hash_pin

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
    # tomlkit keeps the file's comments and layout: the person who set it up wrote them.
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    manager = document.setdefault("manager", tomlkit.table())
    manager["pin_hash"] = hashed
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    print(f"The manager PIN is set (in {path}, as a salted scrypt hash).")
    return 0
