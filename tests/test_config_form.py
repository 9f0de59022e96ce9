"""The settings form's text read through config_read (issue 20: one reflection engine)."""

from __future__ import annotations

import pytest

from posapp.config import Config, ConfigError, config_from_dict
from posapp.config_form import form_fields, read_row, read_table, row_names


def test_every_form_field_reads_back_to_the_config_it_shows() -> None:
    config = Config()
    tables: dict[str, object] = {}
    for section in ("store", "provider", "scanner", "printer", "receipt", "sale", "window"):
        shown = {f.name: f.shown for f in form_fields(section, getattr(config, section))}
        tables[section] = read_table(section, shown)
    names = row_names("denominations")
    tables["denominations"] = [
        read_row("denominations", names, [str(getattr(d, n)) for n in names])
        for d in config.denominations
    ]
    assert config_from_dict(tables) == config


def test_text_that_does_not_read_stays_text_and_the_check_names_the_key() -> None:
    table = read_table("scanner", {"baudrate": "96OO", "terminator": "CR LF"})
    assert table == {"baudrate": "96OO", "terminator": "CRLF"}
    with pytest.raises(ConfigError) as refused:
        config_from_dict({"scanner": table})
    assert refused.value.problems == ["scanner.baudrate: '96OO' is not a whole number"]


def test_a_list_of_choices_reads_back_from_words_and_names_the_wrong_one() -> None:
    table = read_table("manager", {"require_pin_for": "Reverse a transaction, Fly"})
    with pytest.raises(ConfigError) as refused:
        config_from_dict({"manager": table})
    assert refused.value.problems[0].startswith("manager.require_pin_for #2: 'Fly' is not one of")
