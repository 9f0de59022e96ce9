"""Settling across an upgrade: a journal written by version 1 (HTTP requests, not intents)
with entries left pending by a crash settles once, through the intents it migrated to."""

from __future__ import annotations

from pathlib import Path

from posapp.adapters.api_client import ProviderClient
from posapp.app import build_engine
from tests.terminal.conftest import Provider, terminal_config
from tests.terminal.test_journal import write_v1_journal
from tests.terminal.test_service import provider_balance


def test_an_old_journal_with_pending_entries_settles_after_the_upgrade(
    provider: Provider, tmp_path: Path
) -> None:
    reader = ProviderClient(provider.server.url, provider.made["terminal_token"])
    gift_id = reader.validate(code="500000000000001").id
    reader.close()
    path = tmp_path / "journal.db"
    write_v1_journal(
        path,
        [
            (
                "redemption",
                "500000000000001",
                gift_id,
                1000,
                {"path": f"/v1/gifts/{gift_id}/redemptions", "body": {"amount": 1000}},
            ),
            (
                "activation",
                "700000000000009",
                None,
                2500,
                {
                    "path": "/v1/gift-cards/activations",
                    "body": {"code": "700000000000009", "amount": 2500},
                },
            ),
        ],
    )
    engine = build_engine(
        terminal_config(provider.server.url),
        token=provider.made["terminal_token"],
        journal=path,
        start_settler=False,
    )
    try:
        assert engine.settler.settle_once(include_pending=True) == 0
        assert engine.settler.settle_once(include_pending=True) == 0  # nothing twice
        states = [(e.operation, e.state, e.outcome) for e in engine.journal.entries()]
        assert states == [
            ("redemption", "settled", "completed"),
            ("activation", "settled", "completed"),
        ]
        assert provider_balance(provider, "500000000000001") == 6500
        assert provider_balance(provider, "700000000000009") == 2500
    finally:
        engine.close()
