"""The providers' published OpenAPI files are found beside the clone (../shared/specs), or
beside the clone a git worktree belongs to; where they are not, the fake Square checks no
request, says so once in the log, and still answers (a store's laptop running the demo)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from posapp.published_specs import specs_folder
from posapp.square_fake import spec
from posapp.square_fake.app import demo_square
from tests.helpers import LiveServer


def test_the_specs_are_found_beside_the_clone_or_beside_a_worktrees_clone(tmp_path: Path) -> None:
    clone = tmp_path / "work" / "main"
    clone.mkdir(parents=True)
    assert specs_folder(clone) is None
    (tmp_path / "work" / "shared" / "specs").mkdir(parents=True)
    assert specs_folder(clone) == tmp_path / "work" / "shared" / "specs"
    worktree = tmp_path / "elsewhere" / "wt"
    worktree.mkdir(parents=True)
    (worktree / ".git").write_text(f"gitdir: {clone / '.git' / 'worktrees' / 'wt'}\n")
    assert specs_folder(worktree) == tmp_path / "work" / "shared" / "specs"


@pytest.fixture
def no_specs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(spec, "published", lambda _name: None)
    spec.spec.cache_clear()
    yield
    spec.spec.cache_clear()


@pytest.mark.usefixtures("no_specs")
def test_without_the_specs_the_fake_square_checks_nothing_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake, _cards = demo_square()
    server = LiveServer(fake.app())
    headers = {"Authorization": f"Bearer {fake.token}"}
    try:
        with caplog.at_level(logging.INFO, logger="posapp.square_fake.spec"):
            for _ in range(2):
                found = httpx.post(
                    f"{server.url}/v2/gift-cards/from-gan",
                    json={"gan": "500000000000001", "colour": "red"},
                    headers=headers,
                )
                assert found.status_code == 200, found.text
                assert found.json()["gift_card"]["gan"] == "500000000000001"
    finally:
        server.stop()
    said = [r.getMessage() for r in caplog.records if r.name == "posapp.square_fake.spec"]
    assert len(said) == 1
    assert "checks no request" in said[0]
    assert "../shared/specs/square/giftcards-openapi.json" in said[0]
