"""Every value the code names (api.md's enums, the journal's states, config.md's keys and
choices) has a word in the glossary, and the word is not the code's spelling."""

from __future__ import annotations

import typing
from dataclasses import fields, is_dataclass
from typing import Any, Literal

import pytest

from posapp.config import Config, PinAction
from posapp.contract import answers
from posapp.core import glossary
from posapp.core import intent as intents
from posapp.core.entry import Entry, Outcome, State
from posapp.core.gift import Kind
from posapp.core.receipt import ReceiptKind


def values(literal: Any) -> list[Any]:
    found: list[Any] = []
    for arg in typing.get_args(literal):
        if typing.get_origin(arg) is Literal:
            found += values(arg)
        elif arg is not type(None):
            found.append(arg)
    return found


def readable(word: str) -> bool:
    return bool(word) and "_" not in word


def config_keys(kind: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every key of config.md, dotted, with its type (a list of tables counts its rows' keys)."""
    keys = []
    for f in fields(kind):
        tp = typing.get_type_hints(kind)[f.name]
        inner = typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else tp
        if is_dataclass(inner):
            keys += config_keys(inner, f"{prefix}{f.name}.")
        else:
            keys.append((prefix + f.name, tp))
    return keys


GIFT = typing.get_type_hints(answers.Gift)
TXN = typing.get_type_hints(answers.Transaction)
TABLES = [
    ("gift status", glossary.GIFT_STATUS, values(GIFT["status"])),
    ("not redeemable reason", glossary.GIFT_STATUS, values(GIFT["not_redeemable_reason"])),
    ("card kind", glossary.CARD_KIND, values(Kind) + values(GIFT["kind"])),
    ("transaction type", glossary.TRANSACTION, values(answers.TransactionType)),
    ("transaction state", glossary.TRANSACTION_STATE, values(TXN["state"])),
    (
        "journal operation",
        glossary.TRANSACTION,
        [
            k
            for k in values(ReceiptKind)
            if "_report" not in k and k not in ("balance", "settled", "sale", "sale_cancelled")
        ],
    ),
    ("receipt", glossary.RECEIPT_TITLE, values(ReceiptKind)),
    ("pin action", glossary.PIN_ACTION, values(PinAction)),
    ("config section", glossary.SETTING_SECTION, [f.name for f in fields(Config)]),
]


@pytest.mark.parametrize(("what", "table", "names"), TABLES, ids=[t[0] for t in TABLES])
def test_every_enum_value_has_a_word(what: str, table: dict[str, str], names: list[str]) -> None:
    assert names, what
    missing = [n for n in names if n not in table]
    assert missing == [], f"{what} without a word: {missing}"
    assert all(readable(table[n]) for n in names)


def test_every_journal_state_has_a_shift_list_word() -> None:
    words = {
        (state, outcome): glossary.shift_state(state, outcome)
        for state in values(State)
        for outcome in ([*values(Outcome)] if state == "settled" else [None])
    }
    assert words == {
        ("pending", None): "not confirmed yet",
        ("completed", None): "done",
        ("declined", None): "declined",
        ("unknown", None): "not confirmed yet",
        ("settled", "completed"): "settled: done",
        ("settled", "declined"): "settled: not charged",
    }
    assert "operation" in {f.name for f in fields(Entry)}


@pytest.mark.parametrize(
    ("key", "tp"), config_keys(Config), ids=[k for k, _ in config_keys(Config)]
)
def test_every_setting_and_its_choices_have_words(key: str, tp: Any) -> None:
    assert key in glossary.SETTING, key
    assert readable(glossary.setting(key))
    inner = typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else tp
    for value in values(inner) if typing.get_origin(inner) is Literal else []:
        assert value in glossary.CHOICE[key], f"{key} = {value!r} has no word"
        assert readable(glossary.choice(key, value))


def test_counts_and_days_in_words() -> None:
    from datetime import datetime

    assert glossary.count(1, "item") == "1 item"
    assert glossary.count(2, "item") == "2 items"
    assert glossary.day(datetime(2026, 10, 4)) == "4 Oct 2026"
    assert glossary.transaction("something_new") == "Something new"


def test_a_reversed_transaction_says_so_in_the_shift_list() -> None:
    def reversal(state: State, outcome: Outcome | None = None) -> Entry:
        return Entry(
            2, 1, "reversal", "500000000000001", "1", 2500, None, "USD", "k", state, outcome,
            None, None, None, intents.reverse("9", gift_id="1", amount=2500), 0.0, 1,
        )  # fmt: skip

    assert glossary.shift_state("completed", None, reversal("completed")) == "reversed"
    assert glossary.shift_state("completed", None, reversal("settled", "completed")) == "reversed"
    assert glossary.shift_state("completed", None, reversal("unknown")) == "being reversed"
    assert glossary.shift_state("completed", None, reversal("declined")) == "done"
    assert glossary.shift_state("completed", None, reversal("settled", "declined")) == "done"
