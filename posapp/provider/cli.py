"""`posapp-provider init | serve | demo | token` (api.md, "The reference provider's command line")."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any

from posapp.command_help import HelpWithDefaults
from posapp.provider.extra import not_installed

if TYPE_CHECKING:
    from posapp.provider.store import Store


def default_db_url() -> str:
    from platformdirs import user_data_path

    folder = user_data_path("posapp")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'provider.db'}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posapp-provider",
        description="The reference gift card provider (docs/api.md).",
        formatter_class=HelpWithDefaults,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_db(name: str, words: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=words, description=words, formatter_class=HelpWithDefaults)
        p.add_argument(
            "--db",
            help="a SQLAlchemy URL: sqlite:///file.db or postgresql+psycopg://user@host/db "
            "(default: $POSAPP_PROVIDER_DB, else provider.db in the user data folder)",
        )
        return p

    init = with_db("init", "create a store; print its ids and tokens as JSON")
    init.add_argument("--store-name", required=True, help="the store's name, e.g. 'Corner Books'")
    init.add_argument("--currency", default="USD", help="the store's ISO 4217 currency")
    serve = with_db("serve", "serve until SIGTERM or SIGINT")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument("--port", type=int, default=8765, help="the TCP port to listen on")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (use PostgreSQL for more than one)"
    )
    serve.add_argument(
        "--miss-limit",
        type=int,
        default=10,
        help="unknown codes a token may look up per window before 429",
    )
    serve.add_argument("--miss-window", type=int, default=60, help="that window, in seconds")
    serve.add_argument(
        "--max-body-kb",
        type=int,
        default=64,
        help="larger request bodies are refused with 413 before they are read",
    )
    serve.add_argument(
        "--key-retention-hours",
        type=int,
        default=48,
        help="how long idempotency keys are kept (api.md: at least 24); older ones are "
        "forgotten when the provider starts",
    )
    serve.add_argument(
        "--newstore-key-header",
        default="X-API-Key",
        help="the header NewStore's webhooks carry the key in (docs/newstore.md): the api_key "
        "set on the provider's entry of NewStore's gift card configuration",
    )
    # Tests only: the provider's clock this many seconds off the machine's (a provider
    # started days ahead has forgotten its keys). Not shown in --help.
    serve.add_argument("--clock-offset-s", type=float, default=0.0, help=argparse.SUPPRESS)
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error", "critical"],
        help="how much the log says",
    )
    demo = with_db("demo", "a store with demo cards in every status")
    demo.add_argument("--store-name", default="Corner Books", help="the demo store's name")
    demo.add_argument("--currency", default="USD", help="the demo store's ISO 4217 currency")
    token = with_db("token", "make another token for a store; printed once")
    token.add_argument("--store-id", required=True, type=int, help="the store, as init printed it")
    token.add_argument(
        "--location-id", type=int, help="the till's location (default: a new one named --name)"
    )
    token.add_argument("--name", required=True, help="who holds it, e.g. 'Till 2'")
    token.add_argument(
        "--scope",
        choices=["terminal", "admin", "newstore"],
        default="terminal",
        help="terminal: money movements; admin: also the gift cards screen; newstore: only "
        "NewStore's webhooks under /newstore (docs/newstore.md)",
    )
    cash = with_db(
        "cash-out",
        "allow or forbid paying gift cards out in cash for a store (api.md's "
        "PATCH /v1/gift-card-config; a new store starts with cash-out forbidden)",
    )
    cash.add_argument("--store-id", required=True, type=int, help="the store, as init printed it")
    allowed = cash.add_mutually_exclusive_group(required=True)
    allowed.add_argument("--allow", action="store_true", help="cash-outs are allowed")
    allowed.add_argument("--forbid", action="store_true", help="cash-outs are refused")
    cash.add_argument(
        "--max",
        type=int,
        help="with --allow: the most one cash-out pays, in minor units (cents: 2000 is 20.00) "
        "(default: no limit)",
    )
    newstore = with_db(
        "newstore",
        "a store's settings for NewStore's webhooks (docs/newstore.md); prints them",
    )
    newstore.add_argument(
        "--store-id", required=True, type=int, help="the store, as init printed it"
    )
    newstore.add_argument(
        "--value-units",
        choices=["major", "minor"],
        required=True,
        help="what NewStore's `value` counts: major (12.5 is $12.50, as NewStore's other APIs "
        "write money) or minor (1250 is $12.50)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if missing := not_installed("posapp-provider: the reference provider's server"):
        print(missing, file=sys.stderr)
        return 2
    url = args.db or os.environ.get("POSAPP_PROVIDER_DB") or default_db_url()
    if args.command == "serve":
        return serve(url, args)
    store = _open(url, pool_size=2)
    if store is None:
        return 1
    try:
        if args.command == "init":
            print(json.dumps(store.create_store(args.store_name, args.currency.upper())))
        elif args.command == "demo":
            from posapp.provider.demo import make_demo_store

            print(
                json.dumps(make_demo_store(store, args.store_name, args.currency.upper()), indent=2)
            )
        elif args.command == "token":
            location = args.location_id or store.create_location(args.store_id, args.name)
            scopes = {
                "terminal": {"terminal"},
                "admin": {"terminal", "admin"},
                "newstore": {"newstore"},  # NewStore's webhooks only, never /v1
            }[args.scope]
            try:
                secret = store.create_token(args.store_id, location, args.name, scopes)
            except LookupError as exc:
                print(f"posapp-provider: {exc}", file=sys.stderr)
                return 2
            print(json.dumps({"location_id": str(location), "token": secret}))
        elif args.command == "newstore":
            try:
                from posapp.provider.newstore_settings import set_value_units

                with store.write() as conn:
                    print(json.dumps(set_value_units(conn, args.store_id, args.value_units)))
            except LookupError as exc:
                print(f"posapp-provider: {exc}", file=sys.stderr)
                return 2
        elif args.command == "cash-out":
            from posapp.core.money import MAX_AMOUNT

            if args.max is not None and not 0 < args.max <= MAX_AMOUNT:
                print(f"posapp-provider: --max is 1 to {MAX_AMOUNT} minor units", file=sys.stderr)
                return 2
            try:
                limit = args.max if args.allow else None
                print(json.dumps(store.set_cash_out(args.store_id, args.allow, limit)))
            except LookupError as exc:
                print(f"posapp-provider: {exc}", file=sys.stderr)
                return 2
    finally:
        store.close()
    return 0


def _open(
    url: str,
    pool_size: int,
    *,
    key_retention_hours: int | None = None,
    clock: Callable[[], int] | None = None,
) -> Store | None:
    """The store, schema made or migrated; or None, after one sentence on stderr naming the
    database and what to do, when its file cannot be used (db_health.py; issue 18: a
    damaged, truncated or read-only file was a 135-line traceback)."""
    from posapp.provider.db_health import cannot_start
    from posapp.provider.ledger import now_us
    from posapp.provider.store import Store

    try:
        return Store(
            url, pool_size=pool_size, key_retention_hours=key_retention_hours, clock=clock or now_us
        )
    except Exception as error:
        said = cannot_start(error, url)
        if said is None:
            raise
        print(f"posapp-provider: {said}", file=sys.stderr)
        return None


def serve(url: str, args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers > 1 and url.startswith("sqlite"):
        print(
            "posapp-provider: several workers need PostgreSQL; SQLite has one writer",
            file=sys.stderr,
        )
        return 2
    if args.key_retention_hours < 24:
        print(
            "posapp-provider: --key-retention-hours must be at least 24 (docs/api.md, Idempotency)",
            file=sys.stderr,
        )
        return 2
    from posapp.provider.app import offset_clock

    # A bad file is one sentence here, not a traceback from every worker; opened as the
    # workers will open it, so the start's purge of old keys is the same one.
    checked = _open(
        url,
        pool_size=1,
        key_retention_hours=args.key_retention_hours,
        clock=offset_clock(args.clock_offset_s),
    )
    if checked is None:
        return 1
    checked.close()
    os.environ["POSAPP_PROVIDER_DB"] = url
    os.environ["POSAPP_PROVIDER_KEY_RETENTION_HOURS"] = str(args.key_retention_hours)
    os.environ["POSAPP_PROVIDER_CLOCK_OFFSET_S"] = str(args.clock_offset_s)
    os.environ["POSAPP_PROVIDER_MISS_LIMIT"] = str(args.miss_limit)
    os.environ["POSAPP_PROVIDER_MISS_WINDOW"] = str(args.miss_window)
    os.environ["POSAPP_PROVIDER_MAX_BODY_KB"] = str(args.max_body_kb)
    os.environ["POSAPP_PROVIDER_NEWSTORE_KEY_HEADER"] = args.newstore_key_header
    # uvicorn finishes the requests in flight on SIGTERM or SIGINT, then re-raises the signal
    # to the handler it found, which would end us with -15. A stop asked for by signal is a
    # clean stop, so that handler does nothing and we exit 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda _sig, _frame: None)
    # The log config is applied in every worker process, so each request line names its worker.
    options: dict[str, Any] = {
        "app": "posapp.provider.app:app_from_environment",
        "factory": True,
        "log_level": args.log_level,
        "log_config": _log_config(args.log_level.upper()),
        "access_log": False,  # our own request line carries the token id and the time taken
        "timeout_graceful_shutdown": 30,
    }
    if args.workers == 1:
        uvicorn.run(host=args.host, port=args.port, **options)
        return 0
    # Each worker listens on a socket of its own on the same port (SO_REUSEPORT), so the
    # kernel spreads connections over the workers. uvicorn's workers share one socket, and
    # whichever accepted first kept most of the keep-alive connections: two workers served
    # 995 redemptions/s against one's 956 (issue 14).
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_worker, args=(args.host, args.port, options), name=f"worker-{i}")
        for i in range(args.workers)
    ]
    for worker in workers:
        worker.start()

    def stop(_sig: int, _frame: FrameType | None) -> None:
        for worker in workers:
            if worker.pid is not None:
                os.kill(worker.pid, signal.SIGTERM)  # each finishes its requests in flight

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    for worker in workers:
        worker.join()
    stopped = (0, -signal.SIGTERM, -signal.SIGINT)  # a worker stopped by a signal we sent
    return 0 if all(worker.exitcode in stopped for worker in workers) else 1


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    uvicorn.Server(uvicorn.Config(**options)).run(sockets=[sock])


def _log_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "line": {"format": "%(asctime)s pid=%(process)d %(levelname)s %(name)s %(message)s"}
        },
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
        "loggers": {
            "posapp": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
