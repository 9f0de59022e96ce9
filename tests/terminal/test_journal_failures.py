"""Issue 18.2: the journal's file cannot take a write. Each case runs the real journal on a
real filesystem (a small tmpfs this test mounts, filled to its last byte, or made
read-only; a file deleted or replaced under the running till) against the real provider
over loopback, and ends with the provider's ledger: one charge, never two."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.adapters.journal import Journal
from posapp.app import Engine, build_engine
from posapp.core.gift import Movement
from posapp.core.intent import Intent
from posapp.terminal.ports import CashierError, JournalUnwritable, NotConfirmed
from posapp.terminal.words import words_for
from tests.helpers import SmallDisk, wait_for
from tests.terminal.conftest import Provider
from tests.terminal.test_service import ACTIVE

CODE = "500000000000001"  # $75.00
# The till's ask by reference, before it sends a movement again within its call.
LOOKUP = b"/v1/transactions/lookup"
OTHER = "SVS_GC-500000000000002"  # $12.50
# What the cashier reads: a redemption of $10.00 on ••0001 whose outcome the journal could
# not write (the disk full); and that card, pressed again.
NOT_WRITTEN = (
    "Not confirmed: do not hand over the goods or charge ••0001 again. The redemption of "
    "$10.00 may have gone through, but the till could not write it to its journal: the "
    "disk it is on is full. Tell the manager; the till finishes it by itself once it can "
    "write again."
)
WAIT = (
    "Wait: ••0001 has a redemption of $10.00 not confirmed yet. Nothing more moves on this "
    "card until the till has finished it; scan the card again in a moment."
)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    made = SmallDisk(tmp_path / "disk")
    yield made
    made.unmount()


def engine_on(provider: Provider, journal: Path) -> Engine:
    made = build_engine(
        provider.config(provider.proxy.url),
        token=provider.token,
        journal=journal,
        start_settler=False,
    )
    made.client.backoff = (0.01, 0.02, 0.05)
    made.settler.backoff = (0.05, 0.1)
    return made


@pytest.fixture
def till(provider: Provider, disk: SmallDisk) -> Iterator[Engine]:
    """The engine with its journal on the small disk."""
    made = engine_on(provider, disk.path / "journal.db")
    yield made
    made.close()


class AfterTheCall:
    """The real provider client; once the provider has answered the next money call,
    `then` runs (the disk fills, the file goes away) before the till writes the outcome."""

    def __init__(self, engine: Engine, then: Any) -> None:
        self.client, self.then, self.engine = engine.client, then, engine
        engine.terminal.provider = self  # type: ignore[assignment]

    def send(self, intent: Intent, key: str, *, pin: str | None = None) -> Movement:
        try:
            return self.client.send(intent, key, pin=pin)
        finally:
            self.engine.terminal.provider = self.client  # once
            self.then()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def fill_up(disk: SmallDisk) -> None:
    """The disk full, the journal's WAL emptied first. SQLite writes a WAL whose frames were
    all checkpointed over from its start again, which takes no new space: on a full disk a
    write may still fit. Truncated, the journal's next write must grow the WAL, and fails."""
    db = sqlite3.connect(disk.path / "journal.db")
    try:
        assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0  # not busy
    finally:
        db.close()
    disk.fill()


def ledger(provider: Provider) -> tuple[int, int]:
    """The card's balance and how many redemptions the provider holds."""
    return provider.balance(CODE), len(provider.redemptions())


# --- a full disk --------------------------------------------------------------------------


def test_a_full_disk_after_the_provider_committed_is_not_confirmed_and_charges_once(
    till: Engine, provider: Provider, disk: SmallDisk
) -> None:
    """Issue 18's second double charge: 74.00 -> 64.00 -> 54.00."""
    gift = till.terminal.check(ACTIVE)
    woken: list[bool] = []
    till.terminal.on_unknown = lambda: woken.append(True)
    AfterTheCall(till, lambda: fill_up(disk))
    with pytest.raises(NotConfirmed) as said:
        till.terminal.redeem(gift, 1000)
    assert str(said.value) == NOT_WRITTEN
    assert woken  # the settler is told at once
    assert ledger(provider) == (6500, 1)
    (entry,) = till.journal.entries()
    assert entry.state == "pending"  # on disk; what the provider said waits in memory
    assert till.journal.held() == [entry.id]

    # The cashier presses again, on the card read afresh: refused, with words.
    again = till.terminal.check(ACTIVE)
    with pytest.raises(
        CashierError, match=r"^Wait: ••0001 has a redemption of \$10\.00 not confirmed"
    ):
        till.terminal.redeem(again, 1000)
    with pytest.raises(CashierError, match="not confirmed yet"):
        till.terminal.cash_out(again)
    assert ledger(provider) == (6500, 1)

    # The running settler writes it once the disk has room: no restart.
    till.settler.start()
    disk.free()
    till.settler.wake()
    wait_for(lambda: till.journal.entry(entry.id).state == "completed", 10, "the outcome written")
    done = till.journal.entry(entry.id)
    assert (done.amount, done.balance_after, till.journal.held()) == (1000, 6500, [])
    assert done.transaction_id in provider.redemptions()
    # Settled: the card takes money again, once per press.
    till.terminal.redeem(till.terminal.check(ACTIVE), 1000)
    assert ledger(provider) == (5500, 2)
    assert till.terminal.shift.reconciliation() == []


def test_a_full_disk_before_the_call_sends_nothing_and_says_so(
    till: Engine, provider: Provider, disk: SmallDisk
) -> None:
    gift = till.terminal.check(ACTIVE)
    seen = provider.proxy.seen
    fill_up(disk)
    with pytest.raises(CashierError) as said:
        till.terminal.redeem(gift, 1000)
    assert str(said.value) == (
        f"Nothing was charged. The till cannot write to its journal "
        f"{disk.path / 'journal.db'}: the disk it is on is full. Free some space on that "
        "disk, then try again."
    )
    assert provider.proxy.seen == seen  # not a byte sent
    assert ledger(provider) == (7500, 0)
    assert till.journal.entries() == []
    disk.free()
    till.terminal.redeem(gift, 1000)  # room again: the same press goes through
    assert ledger(provider) == (6500, 1)


def test_an_answer_lost_while_the_disk_is_full_settles_once_the_disk_has_room(
    till: Engine, provider: Provider, disk: SmallDisk
) -> None:
    """No answer (unknown) and no room to write even that: kept in memory, written, then
    settled by the running settler."""
    gift = till.terminal.check(ACTIVE)
    provider.proxy.set("drop_answer", only=(b"/redemptions", LOOKUP))
    AfterTheCall(till, lambda: fill_up(disk))
    with pytest.raises(NotConfirmed):
        till.terminal.redeem(gift, 1000)
    assert till.settler.settle_once() == 1  # still no room: nothing sent, nothing lost
    assert till.journal.held() != []
    provider.proxy.set("pass")
    disk.free()
    assert till.settler.settle_once() == 0
    (entry,) = till.journal.entries()
    assert (entry.state, entry.outcome) == ("settled", "completed")
    assert ledger(provider) == (6500, 1)


# --- any movement still to settle blocks its card ------------------------------------------


def test_a_movement_still_to_settle_blocks_its_card_until_the_settler_settles_it(
    engine: Engine, provider: Provider
) -> None:
    gift = engine.terminal.check(ACTIVE)
    provider.proxy.set("drop_answer", only=(b"/redemptions", LOOKUP))
    assert engine.terminal.redeem(gift, 1000).not_confirmed
    assert ledger(provider) == (6500, 1)
    woken: list[bool] = []
    engine.terminal.on_unknown = lambda: (woken.append(True), engine.settler.wake())[1]
    with pytest.raises(CashierError) as said:
        engine.terminal.redeem(engine.terminal.check(ACTIVE), 1000)
    assert str(said.value) == WAIT
    assert woken == [True]
    assert ledger(provider) == (6500, 1)
    # Another card is not held up by it.
    other = engine.terminal.check(OTHER)
    provider.proxy.set("pass")
    assert not engine.terminal.redeem(other, 250).not_confirmed
    # The settler (woken by the refusal) settles it; then the card takes money again.
    engine.settler.start()
    wait_for(lambda: engine.settler.count == 0, 10, "the settler to settle it")
    engine.terminal.redeem(engine.terminal.check(ACTIVE), 1000)
    assert ledger(provider) == (5500, 3)
    assert engine.terminal.shift.reconciliation() == []


# --- a read-only journal ------------------------------------------------------------------


def immutable(path: Path) -> None:
    """The file read-only for root too (mode bits do not stop root): chattr +i."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make a file read-only for root here: {made.stderr.strip()}")


def test_a_read_only_journal_at_start_says_which_file_and_what_to_do(
    provider: Provider, disk: SmallDisk, caplog: pytest.LogCaptureFixture
) -> None:
    path = disk.path / "journal.db"
    Journal(path).close()
    immutable(path)
    try:
        with pytest.raises(JournalUnwritable) as said:
            engine_on(provider, path)
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False, capture_output=True)
    sentence = (
        f"The till cannot write to its journal {path}: the file is read-only. Let the user "
        "who runs posapp write to it and to its folder (or set [journal] path to a file it "
        "can write), then start posapp again."
    )
    assert str(said.value) == sentence
    assert words_for(said.value) == (sentence, False)  # what the window says at start
    assert "Traceback" not in caplog.text
    assert "internal error" not in caplog.text


def test_a_journal_on_a_read_only_disk_at_start_says_so(
    provider: Provider, disk: SmallDisk
) -> None:
    path = disk.path / "journal.db"
    Journal(path).close()
    disk.read_only()
    with pytest.raises(JournalUnwritable, match=r"the disk it is on is read-only\. Mount that"):
        engine_on(provider, path)
    disk.read_only(False)


# --- a journal deleted or replaced while the till runs -----------------------------------


def test_a_journal_deleted_while_running_is_noticed_refused_and_put_back(
    till: Engine, provider: Provider, disk: SmallDisk
) -> None:
    path = disk.path / "journal.db"
    gift = till.terminal.check(ACTIVE)
    till.terminal.redeem(gift, 500)  # done, and in the journal
    provider.proxy.set("drop_answer", only=(b"/redemptions", LOOKUP))
    assert till.terminal.redeem(till.terminal.check(OTHER), 250).not_confirmed  # unknown
    for name in ("journal.db", "journal.db-wal", "journal.db-shm"):  # rm journal.db*
        (disk.path / name).unlink()
    provider.proxy.set("pass")
    seen = provider.proxy.seen
    with pytest.raises(CashierError) as said:
        till.terminal.redeem(gift, 1000)
    assert str(said.value) == (
        f"Nothing was charged. The till cannot write to its journal {path}: it was deleted "
        "while the till was running. Everything this till wrote is back in that file: close "
        "posapp and start it again, and the till goes on from there."
    )
    assert provider.proxy.seen == seen
    assert ledger(provider) == (7000, 2)
    assert till.settler.settle_once() == 1  # nothing settles into the lost file,
    assert provider.proxy.seen == seen  # and nothing is sent whose answer it could not write
    till.close()

    # The next start goes on from the journal put back, and settles the unknown once.
    again = engine_on(provider, path)
    try:
        assert [e.state for e in again.journal.entries()] == ["completed", "unknown"]
        assert again.settler.settle_once() == 0
        assert [e.state for e in again.journal.entries()] == ["completed", "settled"]
        again.terminal.redeem(again.terminal.check(ACTIVE), 1000)
        assert ledger(provider) == (6000, 3)
        assert provider.balance("500000000000002") == 1000
    finally:
        again.close()


def test_a_journal_deleted_during_a_call_keeps_that_call_to_settle(
    till: Engine, provider: Provider, disk: SmallDisk
) -> None:
    """The issue's case: the file deleted while a movement's answer was on its way."""
    path = disk.path / "journal.db"
    gift = till.terminal.check(ACTIVE)
    AfterTheCall(till, path.unlink)
    with pytest.raises(NotConfirmed, match="it was deleted while the till was running"):
        till.terminal.redeem(gift, 1000)
    assert ledger(provider) == (6500, 1)
    with pytest.raises(
        CashierError, match=r"^Wait: ••0001 has a redemption of \$10\.00 not confirmed"
    ):
        till.terminal.redeem(gift, 1000)
    till.close()
    again = engine_on(provider, path)
    try:
        (entry,) = again.journal.entries()
        assert entry.state == "pending"  # intent on disk, outcome never written
        assert again.settler.settle_once(include_pending=True) == 0  # as a start does
        assert (again.journal.entry(entry.id).state, ledger(provider)) == ("settled", (6500, 1))
    finally:
        again.close()


def test_a_journal_replaced_while_running_is_left_alone_and_ours_saved_beside_it(
    till: Engine, provider: Provider, disk: SmallDisk
) -> None:
    path = disk.path / "journal.db"
    gift = till.terminal.check(ACTIVE)
    till.terminal.redeem(gift, 500)
    other = disk.path / "other.db"
    Journal(other).close()
    shutil.copy(other, disk.path / "incoming.db")
    os.replace(disk.path / "incoming.db", path)  # someone puts another journal there
    with pytest.raises(CashierError) as said:
        till.terminal.redeem(gift, 1000)
    words = str(said.value)
    assert words.startswith(
        f"Nothing was charged. The till cannot write to its journal {path}: it was replaced "
        "by another file while the till was running. Everything this till wrote is saved as "
    )
    found = re.search(r"saved as (\S+): close posapp, keep that file as journal\.db", words)
    assert found is not None
    assert ledger(provider) == (7000, 1)
    assert path.read_bytes() == other.read_bytes()  # not ours to overwrite
    saved = Journal(Path(found[1]))
    try:
        assert [(e.state, e.amount) for e in saved.entries()] == [("completed", 500)]
    finally:
        saved.close()


# --- posapp check says it too -------------------------------------------------------------


def posapp_check(journal: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """`posapp check --offline` of a till ready to sell but for its journal."""
    config = folder / "posapp.toml"
    config.write_text(
        f'[manager]\nrequire_pin_for = []\n[printer]\ntransport = "none"\n'
        f'[journal]\npath = "{journal}"\n',
        encoding="utf-8",
    )
    posapp = Path(sys.executable).parent / "posapp"
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(folder / "xdg"),
        "POSAPP_ADMIN_TOKEN": "pgc_admin",
        # A till ready but for its journal has its terminal token too (`check --offline` says
        # a missing one NOT READY since 542d636).
        "POSAPP_PROVIDER_TOKEN": "pgc_terminal",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return subprocess.run(
        [str(posapp), "--config", str(config), "check", "--offline"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_posapp_check_says_a_read_only_journal_as_the_till_does_and_exits_1(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "journal.db"  # on a disk with room: only the file is read-only
    Journal(path).close()
    done = posapp_check(path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"Journal: {path} (it can be written; " in done.stdout
    immutable(path)
    try:
        done = posapp_check(path, tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False, capture_output=True)
    assert done.returncode == 1
    assert (
        f"NOT READY: The till cannot write to its journal {path}: the file is read-only. Let "
        "the user who "
        "runs posapp write to it and to its folder (or set [journal] path to a file it can "
        "write), then start posapp again."
    ) in done.stdout.splitlines()
    assert "Traceback" not in done.stderr


def test_posapp_check_says_the_journals_disk_is_nearly_full(
    disk: SmallDisk, tmp_path: Path
) -> None:
    path = disk.path / "journal.db"
    Journal(path).close()
    done = posapp_check(path, tmp_path)  # a 2 MB disk: under the 5 MB it asks for
    assert done.returncode == 1
    (line,) = [said for said in done.stdout.splitlines() if "Journal:" in said]
    assert re.fullmatch(
        rf"NOT READY: Journal: {re.escape(str(path))}: only [\d.]+ (kB|MB) free on its disk\. Free some "
        r"space there: once it is full, the till moves no more money",
        line,
    )
