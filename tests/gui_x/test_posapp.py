"""`posapp` itself, as a till's bare X session starts it: its own process, its config file,
the token from the environment, fullscreen; keys through the X server, SIGTERM to stop it."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from posapp.adapters.journal import Journal
from posapp.core.entry import Entry
from tests.gui_x import scanner
from tests.gui_x.conftest import DEADLINE, HEIGHT, KEYSYMS, WIDTH, XServer
from tests.helpers import wait_for
from tests.terminal.conftest import Provider, provider  # noqa: F401

pytestmark = pytest.mark.gui
CARD, CODE = "SVS_GC-500000000000001", "500000000000001"  # $75.00


class Posapp:
    def __init__(self, x: XServer, provider: Provider, folder: Path) -> None:  # noqa: F811
        self.x, self.provider, self.folder = x, provider, folder
        self.config = folder / "posapp.toml"
        self.journal = folder / "journal.db"
        # timeout_s 3: time enough to send SIGTERM while a call runs, however busy the machine.
        self.config.write_text(
            f'[provider]\nurl = "{provider.proxy.url}"\ntimeout_s = 3\n'
            '[printer]\ntransport = "none"\n'
            f'[journal]\npath = "{self.journal}"\n'
            "[window]\nfullscreen = true\n"
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.stderr: Path | None = None  # where its stderr goes, when a test reads it

    def start(self) -> None:
        env = {
            **self.x.env,
            "POSAPP_PROVIDER_TOKEN": self.provider.made["terminal_token"],
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # no keyring here
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "XDG_DATA_HOME": str(self.folder / "data"),
        }
        seen = self.provider.proxy.seen
        with contextlib.ExitStack() as files:
            stderr = files.enter_context(self.stderr.open("ab")) if self.stderr else None
            self.process = subprocess.Popen(
                [sys.executable, "-m", "posapp", "--config", str(self.config)],
                env=env,
                stderr=stderr,
            )
        # Shown, and attached: its first calls (the provider's health, the store's
        # currency) reached the provider.
        wait_for(self.x.client_windows, 20, "posapp's window")
        wait_for(lambda: self.provider.proxy.seen > seen, 20, "posapp to reach the provider")

    def stop(self, timeout: float = 20) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def keys(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.x.env, check=True, timeout=DEADLINE)

    def scan(self, text: str) -> None:
        scanner.scan(self.x.display, [*(KEYSYMS.get(c, c) for c in text), "Return"])

    def overlays(self) -> int:
        """How many X windows cover the whole screen. An overlay (the amount, a confirm) is
        a frame placed over all of posapp's window (posapp/ui/overlay.py), made when it
        opens and destroyed when it closes: one more of them while it is open."""
        tree = self.x.output("xwininfo", "-root", "-tree")
        return len(re.findall(rf" {WIDTH}x{HEIGHT}\+0\+0 ", tree))

    def open_with(self, key: str, bare: int, what: str) -> None:
        """Press an action key until its overlay shows (`bare`: `overlays()` with none
        open). A key pressed while posapp is still busy with the card's check or the last
        call is refused ("Wait: ..."), and a cashier presses it again; pressed again on what
        it opened, it does nothing (core/open_key.py)."""
        pressed = [-1.0]

        def shown() -> bool:
            if self.overlays() > bare:
                return True
            if time.monotonic() - pressed[0] > 1.0:
                self.keys("key", key)
                pressed[0] = time.monotonic()
            return False

        wait_for(shown, DEADLINE, what, pause=0.05)

    def entries(self) -> list[Entry]:
        journal = Journal(self.journal)
        try:
            return list(journal.entries())
        finally:
            journal.close()

    def balance(self) -> int:
        admin = {"Authorization": f"Bearer {self.provider.made['admin_token']}"}
        gifts = httpx.get(
            f"{self.provider.server.url}/v1/gift-cards", params={"code": CODE}, headers=admin
        ).json()
        return int(gifts[0]["balance"])


@pytest.fixture
def posapp(xserver: XServer, provider: Provider, tmp_path: Path) -> Iterator[Posapp]:  # noqa: F811
    made = Posapp(xserver, provider, tmp_path)
    yield made
    if made.process is not None and made.process.poll() is None:
        made.process.kill()
        made.process.wait()
    provider.proxy.release()


def test_posapp_fills_the_screen_takes_keys_and_settles_after_sigterm(posapp: Posapp) -> None:
    posapp.start()
    (window,) = posapp.x.client_windows()  # one X window: its dialogs are overlays
    assert posapp.x.geometry(window) == (0, 0, WIDTH, HEIGHT)

    bare = posapp.overlays()
    posapp.scan(CARD)
    posapp.open_with("F2", bare, "the amount to redeem")  # as a cashier: look, press
    posapp.keys(*[a for k in "2500" for a in ("key", k, "sleep", "0.04")], "key", "Return")
    wait_for(lambda: posapp.balance() == 5000, DEADLINE, "the redemption on the ledger")

    # SIGTERM while a redemption waits for the provider: posapp waits for the call (up to
    # its deadline), and what it did not learn is settled when it starts again.
    # Only the redemption is held: the card read again after the first one, or the status
    # watch, may still be on their way and must not be the call that waits.
    posapp.provider.proxy.set("hold", only=b"/redemptions")
    posapp.open_with("F3", bare, "the confirm of the full balance")
    posapp.keys("key", "Return")
    wait_for(lambda: len(posapp.entries()) == 2, DEADLINE, "the redemption's intent")
    assert posapp.process is not None
    posapp.process.send_signal(signal.SIGTERM)
    with pytest.raises(subprocess.TimeoutExpired):
        posapp.process.wait(0.3)  # not gone at once: it waits for the call
    assert posapp.process.wait(20) == 0
    held = posapp.entries()[-1]
    # Not known at the close, or canceled at the provider by the settler before the exit
    # (the held request never reached it: issue 19, till trial A).
    assert held.state in ("pending", "unknown") or (held.state, held.outcome) == (
        "settled",
        "declined",
    )

    posapp.start()  # the request still held: the provider has not got it when the till asks
    wait_for(
        lambda: posapp.entries()[-1].state not in ("pending", "unknown"),
        20,
        "the next start to settle it",
    )
    assert posapp.stop() == 0  # nothing in flight: it closes at once
    settled = posapp.entries()[-1]
    # The provider never got the request before the till asked: canceled there (api.md
    # "Canceling a movement that never came"), so the late arrival is refused and the card
    # keeps its money (never charged after the customer left).
    assert (settled.state, settled.outcome, posapp.balance()) == ("settled", "declined", 5000)
    proxy = posapp.provider.proxy
    proxy.set("pass")
    proxy.release()  # the held request reaches the provider after all
    late = wait_for(
        lambda: [status for line, status in proxy.answered if b"/redemptions" in line][1:],
        DEADLINE,
        "the late request's answer",
    )
    assert not any(status.startswith(b"HTTP/1.1 2") for status in late), late  # b"": not reached
    assert posapp.balance() == 5000


def test_the_tills_console_gets_no_line_for_each_call(posapp: Posapp) -> None:
    """The till trial (50): the real till's stderr got httpx's INFO line for every call and
    for the status check every 10 s (125 lines in 11 minutes), under xinit into
    ~/.xsession-errors or onto the console."""
    posapp.stderr = posapp.folder / "stderr.txt"
    posapp.start()  # its first calls: the provider's health, the store's currency
    seen = posapp.provider.proxy.seen
    posapp.scan(CARD)  # and a card's check
    wait_for(lambda: posapp.provider.proxy.seen > seen, DEADLINE, "the card's check")
    assert posapp.stop() == 0
    said = posapp.stderr.read_text()
    assert "HTTP Request" not in said
    assert " INFO httpx" not in said
