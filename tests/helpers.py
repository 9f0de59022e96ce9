"""Shared test helpers: waiting on a condition with a deadline, a live uvicorn server in
this process, a real `posapp-provider serve` in its own."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn

PROVIDER = str(Path(sys.executable).parent / "posapp-provider")


def wait_for(
    condition: Callable[[], Any],
    timeout: float = 10.0,
    what: str = "condition",
    pause: float = 0.005,
) -> Any:
    """Poll until the condition is truthy; fail after the deadline. Never a bare sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(pause)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, timeout: float = 30.0) -> None:
    """Until something accepts connections on the loopback port (a server started apart)."""

    def accepts() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
        return True

    wait_for(accepts, timeout, f"a server on port {port}", pause=0.05)


def proc_status_kb(pid: int, field: str) -> int:
    """A field of /proc/PID/status in kB (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def upload(
    port: int, path: str, size: int, *headers: str, head: bytes = b"", tail: bytes = b""
) -> tuple[str, int]:
    """A chunked POST of `head`, `size` bytes of filler and `tail`, sent until the server
    answers or hangs up; the answer's status line and how much filler was sent."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    lines = [f"POST {path} HTTP/1.1", "Host: p", "Content-Type: application/json", *headers]
    sock.sendall(("\r\n".join([*lines, "Transfer-Encoding: chunked"]) + "\r\n\r\n").encode())

    def chunk(data: bytes) -> bytes:
        return b"%x\r\n%s\r\n" % (len(data), data) if data else b""

    block = chunk(b" " * 65536)
    sent = 0
    try:
        sock.sendall(chunk(head))
        while sent < size:
            sock.sendall(block)
            sent += 65536
        sock.sendall(chunk(tail) + b"0\r\n\r\n")
    except OSError:
        pass  # it hung up: what it answered is waiting in our socket
    answer = b""
    try:
        while b"\r\n" not in answer and (got := sock.recv(65536)):
            answer += got
    except OSError:
        pass
    sock.close()
    return answer.split(b"\r\n", 1)[0].decode(), sent


class LiveServer:
    """A real uvicorn on a free loopback port, in a thread of this process."""

    def __init__(self, app: Any, **config: Any) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        scheme = "https" if config.get("ssl_certfile") else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, **config)
        )
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )
        self.thread.start()
        wait_for(lambda: self.server.started, 10, "uvicorn to start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


class Served:
    """`posapp-provider serve --db DB` in a process of its own, on a free loopback port,
    answering /healthz; its log (stderr) is kept in `log`."""

    def __init__(self, db: str, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PROVIDER, "serve", "--db", db, "--port", str(self.port), *extra],
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        wait_for(self._healthy, 30, "the provider to answer /healthz")

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def _healthy(self) -> bool:
        assert self.process.poll() is None, "".join(self.log)
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(30)
        self._reader.join(5)
        assert self.process.stderr is not None
        self.process.stderr.close()
        return code


class SmallDisk:
    """A tmpfs of its own, mounted at `path` (root only: mount(8) needs it), that a test
    fills to its last byte and frees again: a real filesystem that runs out of space."""

    def __init__(self, path: Path, size: str = "2m") -> None:
        import pytest

        path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            pytest.skip("mounting a small tmpfs needs root")
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
        self.path = path
        self.filler = path / "filler"

    def fill(self) -> None:
        """Every free byte taken, until the filesystem says ENOSPC."""
        block = b"\0" * 4096
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, block)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def read_only(self, yes: bool = True) -> None:
        """The whole filesystem remounted read-only (or writable again)."""
        mode = "ro" if yes else "rw"
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True)

    def unmount(self) -> None:
        # Lazy: a connection a failed test left open does not leave the mount behind.
        subprocess.run(["umount", "-l", str(self.path)], check=False)


def need_specs() -> None:
    """Skip, saying why, where the providers' published OpenAPI files (../shared/specs) are
    not beside this clone: the tests that hold our fakes and models to them need them."""
    import pytest

    from posapp.published_specs import specs_folder

    if specs_folder() is None:
        pytest.skip(
            "../shared/specs (the providers' published OpenAPI files) is not beside this clone"
        )
