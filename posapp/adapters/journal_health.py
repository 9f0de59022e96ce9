"""Whether the journal's file can still take a write, in words naming it (issue 18).

SQLite says why a write failed with a result code ("database or disk is full"); a cashier
or a manager needs the file and what to do. And SQLite does not notice a file deleted or
replaced while it is open: its connections go on writing into the deleted file, which is
gone when the process ends (sqlite.org/howtocorrupt.html, 2.4, "Unlinking or renaming a
database file while in use"). So the journal keeps the file's identity (device and inode)
from when it opened it, compares it before each write, and a file that went away is copied
back from the connection that still has it open.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from posapp.i18n import N_, _
from posapp.terminal.ports import JournalUnwritable

log = logging.getLogger("posapp.journal")

# SQLite's primary result codes (sqlite.org/rescode.html); an extended code carries its
# primary one in the low 8 bits.
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 3, 8, 10, 13, 14

FULL = (N_("the disk it is on is full"), N_("Free some space on that disk, then try again"))
READ_ONLY_FILE = (
    N_("the file is read-only"),
    N_(
        "Let the user who runs posapp write to it and to its folder (or set [journal] path to "
        "a file it can write), then start posapp again"
    ),
)
READ_ONLY_DISK = (
    N_("the disk it is on is read-only"),
    N_(
        "Mount that disk for writing (or set [journal] path to a folder posapp can write), "
        "then start posapp again"
    ),
)
CANNOT_OPEN = (
    N_("it cannot be opened for writing"),
    N_(
        "Check that its folder exists and that the user who runs posapp may write to both "
        "(or set [journal] path), then start posapp again"
    ),
)
DISK_ERROR = (
    N_("the disk reported an error"),
    N_("The disk may be failing: tell the manager, and leave posapp open"),
)


def unwritable(path: Path, error: BaseException) -> JournalUnwritable | None:
    """The words for an error of the journal's file, or None for any other error (a bug
    stays a bug: logged with its traceback)."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        found = {
            SQLITE_FULL: FULL,
            SQLITE_READONLY: READ_ONLY_FILE,
            SQLITE_PERM: READ_ONLY_FILE,
            SQLITE_IOERR: DISK_ERROR,
            SQLITE_CANTOPEN: CANNOT_OPEN,
        }.get(code)
    elif isinstance(error, OSError):  # making the journal's folder
        found = {
            errno.ENOSPC: FULL,
            errno.EROFS: READ_ONLY_DISK,
            errno.EACCES: CANNOT_OPEN,
            errno.EPERM: CANNOT_OPEN,
            errno.EIO: DISK_ERROR,
        }.get(error.errno or 0)
    else:
        found = None
    if found is None:
        return None
    if found in (CANNOT_OPEN, READ_ONLY_FILE) and _read_only_disk(path):
        found = READ_ONLY_DISK  # SQLite says "cannot open": it could not make its -wal
    problem, fix = found
    return JournalUnwritable(str(path), _(problem), _(fix))


def _read_only_disk(path: Path) -> bool:
    for folder in (path, *path.parents):
        with suppress(OSError):
            return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    return False


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """Which file a path named when the journal opened it."""

    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity | None:
        try:
            found = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(found.st_dev, found.st_ino)

    def at(self, path: Path) -> Literal["deleted", "replaced"] | None:
        """What became of this file at `path`: None while it is still there."""
        now = FileIdentity.of(path)
        if now is None:
            return "deleted"
        return None if now == self else "replaced"


def gone(path: Path, how: Literal["deleted", "replaced"], saved: Path | None) -> JournalUnwritable:
    """The words once the journal's file went away while the till ran."""
    if how == "deleted":
        problem = _("it was deleted while the till was running")
    else:
        problem = _("it was replaced by another file while the till was running")
    if saved is None:
        fix = _(
            "Everything this till wrote is still in the file it has open, and could not be "
            "saved yet: do not close posapp; call the manager"
        )
    elif saved == path:
        fix = _(
            "Everything this till wrote is back in that file: close posapp and start it "
            "again, and the till goes on from there"
        )
    else:
        fix = _(
            "Everything this till wrote is saved as {saved}: close posapp, keep that file as "
            "{name} (move the other one aside), and start posapp again"
        ).format(saved=saved, name=path.name)
    return JournalUnwritable(str(path), problem, fix)


def rescue(db: sqlite3.Connection, path: Path, how: Literal["deleted", "replaced"]) -> Path:
    """A whole copy of what `db` holds, where the next start finds it; the copy's path.

    SQLite's online backup reads through the open connection, so it copies the deleted
    file with what its WAL still holds. A deleted journal goes back to its own path; a
    replaced one goes beside the file that replaced it (someone put that there: it is not
    ours to overwrite). The copy is in rollback mode, and the -wal and -shm beside the path
    (our connections', named after the path) are removed: left there, the next start would
    replay our old WAL into whatever file is at the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".rescue")
    os.close(fd)
    try:
        copy = sqlite3.connect(name, isolation_level=None)
        try:
            db.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        for stale in (f"{path}-wal", f"{path}-shm"):
            with suppress(FileNotFoundError):
                os.unlink(stale)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        saved = path.with_name(f"{path.name}.saved-{stamp}")
        for target in (path, saved) if how == "deleted" else (saved,):
            try:
                os.link(name, target)  # never over a file someone put there meanwhile
            except FileExistsError:
                continue
            _sync_folder(path.parent)
            return target
        raise FileExistsError(errno.EEXIST, "no free name to save the journal", str(saved))
    finally:
        with suppress(OSError):
            os.unlink(name)


def _sync_folder(folder: Path) -> None:
    """The new name on disk too, not only the file's pages."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileWatch:
    """The journal's file as it was opened, checked before each write (under the journal's
    write lock). Once it was deleted or replaced, what this run wrote is copied where the
    next start finds it (rescue) from a connection kept open on the file, and this run
    writes nothing more: `gone` says why. A copy that failed (the disk full too) is tried
    again at each write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity: FileIdentity | None = None
        self.gone: JournalUnwritable | None = None
        self._went: Literal["deleted", "replaced"] = "deleted"
        self._saved = False
        self._keeper: sqlite3.Connection | None = None

    def opened(self) -> None:
        """The journal is open at its path: that file is the one to keep watching."""
        self.identity = FileIdentity.of(self.path)
        # Any thread may need it (under the journal's lock). A first read opens its WAL
        # too, which it then keeps open, should the -wal be deleted as well.
        self._keeper = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._keeper.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()

    def check(self) -> None:
        if self.gone is None:
            how = None if self.identity is None else self.identity.at(self.path)
            if how is None:
                return
            self._went = how
        elif self._saved:
            raise self.gone
        saved: Path | None = None
        try:
            if self._keeper is not None:
                saved = rescue(self._keeper, self.path, self._went)
        except (OSError, sqlite3.Error) as exc:
            log.error("journal %s %s; not saved yet: %s", self.path, self._went, exc)
        else:
            log.error("journal %s %s; what this till wrote is in %s", self.path, self._went, saved)
        self._saved = saved is not None
        self.gone = gone(self.path, self._went, saved)
        raise self.gone

    def close(self) -> None:
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None


def probe(path: Path) -> JournalUnwritable | None:
    """Whether the journal at `path` can be written, without changing it or making it
    (`posapp check`): a write of the header's own user_version, rolled back. A journal not
    made yet: whether its folder can be made and written."""
    if not path.exists():
        folder = next((p for p in path.parents if p.exists()), Path("/"))
        if os.access(folder, os.W_OK):
            return None
        error = OSError(errno.EROFS if _read_only_disk(folder) else errno.EACCES, str(folder))
        return unwritable(path, error)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error as exc:
        return unwritable(path, exc)
    try:
        db.isolation_level = None
        db.execute("BEGIN IMMEDIATE")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute(f"PRAGMA user_version = {int(version)}")
        db.execute("ROLLBACK")
    except sqlite3.Error as exc:
        found = unwritable(path, exc)
        if found is None:
            raise
        return found
    finally:
        db.close()
    return None


def free_bytes(path: Path) -> int:
    """Free space, for posapp, on the disk the journal is (or will be) on."""
    folder = next((p for p in (path, *path.parents) if p.exists()), Path("/"))
    found = os.statvfs(folder)
    return found.f_bavail * found.f_frsize
