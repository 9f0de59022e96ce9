from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from posapp.config import (
    Config,
    ConfigError,
    ensure_config,
    example_config_text,
    load_config,
    parse_config,
)


def test_the_example_holds_the_documented_defaults() -> None:
    assert parse_config(example_config_text()) == Config()


def test_an_empty_file_takes_every_default() -> None:
    config = parse_config("")
    assert config.scanner.baudrate == 9600
    assert config.printer.columns == 48
    assert [p.name for p in config.patterns] == ["SVS gift card", "Voucher, typed"]
    assert [d.amount for d in config.denominations] == [30000, 50000]


def test_values_are_read_into_frozen_dataclasses() -> None:
    config = parse_config(
        """
        [store]
        name = "Shop"
        address = ["1 Road"]
        [provider]
        timeout_s = 2
        deadline_s = 6
        max_answer_kb = 256
        [printer]
        transport = "network"
        host = "10.0.0.9"
        paper_width_mm = 58
        """
    )
    assert config.store.address == ("1 Road",)
    assert config.provider.timeout_s == 2.0
    assert isinstance(config.provider.timeout_s, float)
    assert (config.provider.deadline_s, config.provider.max_answer_kb) == (6.0, 256)
    assert (config.printer.network_port, config.printer.columns) == (9100, 32)
    with pytest.raises(AttributeError):
        config.store.name = "Other"  # type: ignore[misc]


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return info.value.problems


def test_every_problem_is_named_by_its_key_at_once() -> None:
    found = problems(
        """
        [scanner]
        baudrate = 9601
        mode = "laser"
        max_key_gap_ms = "fast"
        [provider]
        url = "ftp://x"
        timeout_s = true
        [colour]
        x = 1
        """
    )
    text = "\n".join(found)
    for expected in (
        "scanner.mode: 'laser' is not one of 'wedge', 'serial', 'both'",
        "scanner.baudrate: 9601 is not a standard rate; use one of "
        "1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200",
        "scanner.max_key_gap_ms: 'fast' is not a whole number",
    ):
        assert expected in found
    assert len(found) == 6
    for key in ("provider.url: 'ftp://x'", "provider.timeout_s: True", "colour: unknown key"):
        assert key in text
    assert "9601 is not a standard rate; use one of 1200" in text


def test_the_call_deadlines_and_answer_limit_are_checked() -> None:
    found = problems("[provider]\ndeadline_s = -1\nmax_answer_kb = 0\n")
    assert found == [
        "provider.deadline_s: -1.0 must be zero (not used) or above",
        "provider.max_answer_kb: 0 must be above zero",
    ]


def test_the_window_section_says_fullscreen_or_not() -> None:
    assert parse_config("").window.fullscreen is False
    assert parse_config("[window]\nfullscreen = true\n").window.fullscreen is True
    (found,) = problems('[window]\nfullscreen = "yes"\n')
    assert found.startswith("window.fullscreen:")


def test_a_token_in_the_file_is_refused_and_says_where_it_goes() -> None:
    (found,) = problems('[provider]\ntoken = "s3cret"\n')
    assert found.startswith("provider.token: secrets never live in the config file")
    assert "posapp set-token" in found
    assert "s3cret" not in found


def test_patterns_are_checked_when_the_config_loads() -> None:
    found = problems(
        """
        [[patterns]]
        name = "look-ahead"
        regex = '^(?=(?:a+)+b)(\\w+)$'
        [[patterns]]
        name = "no group"
        regex = '^\\d{12}$'
        [[patterns]]
        name = "odd case"
        regex = '^(\\d+)$'
        case = "title"
        [[patterns]]
        regex = '^(\\d+)$'
        """
    )
    assert found[0].startswith("patterns[0].regex (look-ahead):")
    assert "look-arounds such as (?=...)" in found[0]
    assert "match the text itself instead" in found[0]
    assert "\\d means 0-9 and \\w means A-Z, a-z, 0-9 and _ only (ASCII)" in found[0]
    assert found[1].startswith("patterns[1].regex (no group):")
    assert "patterns[2].case: 'title' is not one of 'upper', 'lower', 'keep'" in found
    assert "patterns[3].name: missing; it is text" in found


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "[[denominations]]\npricebook = 'x'\namount = 0\n",
            "denominations[0].amount: 0: Enter an amount above zero",
        ),
        (
            "[[denominations]]\npricebook = 'x'\namount = 1.5\n",
            "denominations[0].amount: 1.5 is not a whole number",
        ),
        (
            "[printer]\ntransport = 'network'\n",
            "printer.host: the network printer's address is missing",
        ),
        (
            "[printer]\ntransport = 'network'\nhost = 'h'\nport = 70000\n",
            "printer.port: 70000 is not a TCP port",
        ),
        ("[printer]\ntransport = 'serial'\n", "printer.port: a serial printer needs its device"),
        ("[printer]\ncodepage = 'klingon'\n", "printer.codepage: 'klingon' is not a code page"),
        ("[printer]\npaper_width_mm = 72\n", "printer.paper_width_mm: 72 is not one of 80, 58"),
        (
            "[receipt]\nlogo = '/no/such/logo.png'\n",
            "receipt.logo: '/no/such/logo.png' is not a file",
        ),
        ("[store]\nlocale = 'xx_YY'\n", "store.locale: 'xx_YY' is not a known locale"),
        ("[store]\naddress = 'one line'\n", "store.address: 'one line' is not a list of texts"),
        ("store = 5\n", "store: 5 is not a table"),
        (
            "[manager]\nrequire_pin_for = ['everything']\n",
            "manager.require_pin_for[0]: 'everything' is not one of",
        ),
        ("[store\n", "config: not valid TOML"),
    ],
)
def test_hostile_values_get_a_clear_error(text: str, says: str) -> None:
    assert any(p.startswith(says) for p in problems(text)), problems(text)


def test_an_oversized_file_is_refused() -> None:
    assert "larger than" in problems("# " + "x" * 300_000)[0]


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_text_gives_a_config_or_a_config_error(text: str) -> None:
    try:
        parse_config(text)
    except ConfigError as exc:
        assert exc.problems


def test_a_missing_file_is_created_from_the_example(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "posapp.toml"
    ensure_config(path)
    assert path.read_text(encoding="utf-8") == example_config_text()
    assert load_config(path) == Config()


def test_unreadable_and_binary_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "absent.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(binary)


def test_the_provider_api_and_squares_location() -> None:
    square = parse_config(
        '[provider]\napi = "square"\nurl = "https://connect.squareupsandbox.com"\n'
        'location_id = "L8ZXJ"\n'
    )
    assert (square.provider.api, square.provider.location_id) == ("square", "L8ZXJ")
    assert parse_config("").provider.api == "posapp"
    (found,) = problems('[provider]\napi = "square"\n')
    assert found.startswith("provider.location_id: Square needs the location")
    (found,) = problems('[provider]\napi = "stripe"\n')
    assert found == "provider.api: 'stripe' is not one of 'posapp', 'square'"
    (found,) = problems('[provider]\nlocation_id = "L1"\n')
    assert 'only used with api = "square"' in found
