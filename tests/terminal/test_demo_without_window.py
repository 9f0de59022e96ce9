"""`posapp demo --api square | adyen | newstore --no-window`: the demo's own process, its fake
provider answering in that API's shapes (and refusing a request without the token), its card
list printed as that API holds the cards, and a clean stop on SIGTERM (no temporary files
left). One test, the three APIs (the copy finder's D4-D6: three copies of it before)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from posapp.adyen_fake.demo_cards import DEMO_PIN


@dataclass(frozen=True)
class DemoApi:
    fake: str  # how the first line names the fake provider
    probe: Callable[[str], httpx.Response]  # a call without the token, at the fake's address
    refused: Callable[[httpx.Response], bool]  # its answer: the API's own refusal
    listed: str  # a line of the card list, as the API holds that card ("": none checked)


APIS = {
    "square": DemoApi(
        "Square's Gift Cards API",
        lambda url: httpx.get(f"{url}/v2/locations/main"),
        lambda answer: answer.json()["errors"][0]["code"] == "UNAUTHORIZED",
        "SVS_GC-500000000000006     Blocked ($25.00)",  # as Square holds it now
    ),
    "adyen": DemoApi(
        "Adyen's Checkout and Stored Value APIs",
        lambda url: httpx.post(f"{url}/checkout/v71/payments", json={}),
        # Adyen's ServiceError, and a lock
        lambda answer: (answer.status_code, answer.json()["errorCode"]) == (401, "000"),
        f"SVS_GC-500000000000008     $40.00, PIN {DEMO_PIN}",
    ),
    "newstore": DemoApi(
        "NewStore's Gift Card API",
        lambda url: httpx.post(f"{url}/v0/c/gift_card/balance", json={}),
        lambda answer: (answer.status_code, answer.json()["error_code"]) == (401, "unauthorized"),
        "",
    ),
}


@pytest.mark.parametrize("api", sorted(APIS))
def test_posapp_demo_api_without_a_window(api: str, tmp_path: Path) -> None:
    demo = APIS[api]
    (tmp_path / "tmp").mkdir()
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    child = subprocess.Popen(
        [str(Path(sys.executable).parent / "posapp"), "demo", "--api", api, "--no-window"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    said = ""
    while "Running without a window" not in (line := child.stdout.readline()):
        assert line, said
        said += line
    first = said.splitlines()[0]
    assert first.startswith(f"Demo provider (a fake of {demo.fake}): http://127.0.0.1:")
    assert demo.refused(demo.probe(first.split()[-1]))
    assert demo.listed in said
    child.send_signal(signal.SIGTERM)
    assert child.wait(30) == 0
    child.stdout.close()
    assert list((tmp_path / "tmp").iterdir()) == []
