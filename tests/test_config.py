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
    assert found[0].startswith("patterns #1.regex (look-ahead):")
    assert "look-arounds such as (?=...)" in found[0]
    assert "match the text itself instead" in found[0]
    assert "\\d means 0-9 and \\w means A-Z, a-z, 0-9 and _ only (ASCII)" in found[0]
    assert found[1].startswith("patterns #2.regex (no group):")
    assert "patterns #3.case: 'title' is not one of 'upper', 'lower', 'keep'" in found
    assert "patterns #4.name: missing; it is text" in found


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "[[denominations]]\npricebook = 'x'\namount = 0\n",
            "denominations #1.amount: 0: Enter an amount above zero",
        ),
        (
            "[[denominations]]\npricebook = 'x'\namount = 1.5\n",
            "denominations #1.amount: 1.5 is not a whole number",
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
            "manager.require_pin_for #1: 'everything' is not one of",
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
    assert found == ("provider.api: 'stripe' is not one of 'posapp', 'square', 'adyen', 'newstore'")
    (found,) = problems('[provider]\nlocation_id = "L1"\n')
    assert 'only used with api = "square"' in found


# --- issue 18.6: hostile files and values, each one sentence naming the key or the file ----


def only_problem(text: str) -> str:
    (found,) = problems(text)
    assert "Traceback" not in found
    assert "\n" not in found
    return found


@pytest.mark.parametrize("depth", [9, 500, 20_000])
@pytest.mark.parametrize(
    ("opening", "inside", "closing"),
    [("[", "", "]"), ("{a = ", "1", "}"), ("[{a = ", "1", "}]")],
)
def test_nesting_past_the_bound_is_one_sentence(
    depth: int, opening: str, inside: str, closing: str
) -> None:
    """500 deep was a RecursionError from tomllib (issue 18.6); 20,000 still fits 256 KiB."""
    for where in ("x = ", "[store]\naddress = "):
        text = where + opening * depth + inside + closing * depth
        if len(text) > 250_000:
            text = where + opening * (depth // 4) + inside + closing * (depth // 4)
        found = only_problem(text)
        line = where.count("\n") + 1
        assert found == (
            f"config: lists or tables nested more than 8 deep (line {line}); "
            "a posapp config nests 2 deep at most"
        )


def test_brackets_in_strings_and_comments_nest_nothing() -> None:
    brackets = "[" * 40 + "{" * 40
    config = parse_config(
        f"# {brackets}\n"
        "[store]\n"
        f'name = "{brackets}\\"{brackets}"  # {brackets}\n'
        f"location_name = '{brackets}'\n"
        f"address = [\"\"\"{brackets}\n{brackets}\"\"\"\"\", '''{brackets}''''']\n"
    )
    assert config.store.name == f'{brackets}"{brackets}'
    assert config.store.address == (f'{brackets}\n{brackets}""', f"{brackets}''")


def toml_value(value: object) -> str:
    """A value written as TOML (basic strings: quotes, backslashes and controls escaped)."""
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_value(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return (
            '"'
            + "".join(
                f"\\u{ord(c):04x}" if c in '"\\' or ord(c) < 0x20 or ord(c) == 0x7F else c
                for c in value
            )
            + '"'
        )
    return repr(value)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


# Strings made of what could fool a bracket counter: brackets, both quotes, '#' and '\'.
tricky_text = st.text(alphabet="[]{}\"'#\\ab", max_size=8)
nested_values = st.recursive(
    tricky_text | st.integers(0, 9),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=30,
)


@settings(max_examples=300)
@given(nested_values)
def test_nesting_is_counted_as_tomllib_reads_it(value: object) -> None:
    """Whatever the strings inside hold, the file is refused for nesting exactly when its
    value nests past the bound; otherwise it reads (the unknown key is the only problem)."""
    from posapp.config_checks import MAX_NESTING

    text = f"unknown = {toml_value(value)}\n"
    found = problems(text)
    if depth_of(value) > MAX_NESTING:
        assert found[0].startswith("config: lists or tables nested more than 8 deep")
    else:
        assert found == [found[0]]
        assert found[0].startswith("unknown: unknown key")


def test_a_byte_order_mark_is_read_as_nothing(tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes(b'\xef\xbb\xbf[store]\nname = "Shop"\n')  # what Notepad saves as UTF-8
    assert load_config(path).store.name == "Shop"
    assert parse_config('\ufeff[store]\nname = "Shop"\n').store.name == "Shop"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://[::1", "provider.url: 'http://[::1' is not an address (it is cut short)"),
        (
            "http://127.0.0.1:99999",
            "provider.url: 'http://127.0.0.1:99999': its port is not a number from 1 to 65535",
        ),
        ("http://127.0.0.1:8x", "provider.url: 'http://127.0.0.1:8x': its port is not a number"),
        ("http://127.0.0.1:0", "provider.url: 'http://127.0.0.1:0': port 0 cannot be called"),
        ("http://gift example.com", "provider.url: 'http://gift example.com' holds a space"),
        ("http://h/?store=1", "provider.url: 'http://h/?store=1': a base address has no ?query"),
        ("http://bad..host", "provider.url: 'http://bad..host': 'bad..host' is not a host name"),
        ("ftp://h", "provider.url: 'ftp://h' is not an http:// or https:// address"),
        ("https://", "provider.url: 'https://' is not an http:// or https:// address"),
    ],
)
def test_a_provider_address_that_cannot_be_called_says_why(url: str, says: str) -> None:
    found = only_problem(f"[provider]\nurl = {url!r}\n".replace("'", '"'))
    assert found.startswith(says), found
    assert "such as http://127.0.0.1:8765" in found


def test_a_password_in_the_address_is_never_repeated() -> None:
    found = only_problem('[provider]\nurl = "https://till:hunter22@gift.example.com x"\n')
    assert "hunter22" not in found
    assert "secrets never live in the config file" in found


no_surrogates = st.characters(exclude_categories=["Cs"])  # TOML cannot carry them


@settings(max_examples=400)
@given(
    st.sampled_from(["http://", "https://", "http://[", "https://u@"]).flatmap(
        lambda scheme: st.text(no_surrogates, max_size=30).map(lambda rest: scheme + rest)
    )
    | st.builds(
        lambda host, port, path: f"http://{host}:{port}{path}",
        st.sampled_from(
            ["127.0.0.1", "[::1]", "gift.example.com", "xn--bcher-kva.example", "büch.er", "a_b"]
        ),
        st.integers(-5, 70_000),
        st.sampled_from(["", "/", "/api", "/a b", "/?q"]),
    )
)
def test_an_address_that_is_taken_can_be_called(url: str) -> None:
    """Whatever text is given, it is refused in a sentence, or the HTTP client builds a
    request to it with a port it can connect to (the ValueError and the port 99999 that
    passed before)."""
    import httpx

    try:
        config = parse_config(f"[provider]\nurl = {toml_value(url)}\n")
    except ConfigError as exc:
        (found,) = exc.problems
        assert found.startswith("provider.url: ")
        return
    request = httpx.Client(base_url=config.provider.url).build_request("GET", "/v1/gifts/validate")
    assert request.url.scheme in ("http", "https")
    assert 0 < (request.url.port or 443) < 65536
    assert request.url.host


NUMBERS = [
    ("provider", "timeout_s", 120),
    ("provider", "deadline_s", 600),
    ("provider", "max_answer_kb", 65536),
    ("scanner", "max_key_gap_ms", 1000),
    ("printer", "vendor_id", 65535),
    ("printer", "product_id", 65535),
]


@pytest.mark.parametrize(("section", "key", "most"), NUMBERS)
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e300", "1" + "0" * 400, "-1"])
def test_a_number_out_of_bounds_names_its_key(
    section: str, key: str, most: int, value: str
) -> None:
    found = only_problem(f"[{section}]\n{key} = {value}\n")
    assert found.startswith(f"{section}.{key}: "), found
    assert len(found) < 160
    if section == "provider" and key.endswith("_s") and value in ("inf", "1e300"):
        assert found.endswith(f"is more than {most} s, the most this key takes")


@pytest.mark.parametrize(("section", "key", "most"), NUMBERS)
def test_a_number_at_its_bound_is_taken(section: str, key: str, most: int) -> None:
    config = parse_config(f"[{section}]\n{key} = {most}\n")
    assert getattr(getattr(config, section), key) == most
    (found,) = problems(f"[{section}]\n{key} = {most + 1}\n")
    assert f"is more than {most:g}" in found


@settings(max_examples=300)
@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers())
def test_a_time_out_that_is_taken_fits_a_socket(value: float) -> None:
    """inf passed before and was an OverflowError at the first call."""
    import math
    import socket

    text = f"[provider]\ntimeout_s = {toml_value(value) if math.isfinite(value) else str(value).lower()}\n"
    try:
        config = parse_config(text)
    except ConfigError as exc:
        (found,) = exc.problems
        assert found.startswith("provider.timeout_s: ")
        return
    assert 0 < config.provider.timeout_s <= 120
    with socket.socket() as sock:
        sock.settimeout(config.provider.timeout_s)


def test_a_code_page_the_printer_cannot_select_is_refused() -> None:
    found = only_problem('[printer]\ncodepage = "utf-8"\n')
    assert found.startswith("printer.codepage: 'utf-8' is not a code page the printer can select")
    assert parse_config('[printer]\ncodepage = "cp858"\n').printer.codepage == "cp858"


def test_a_ca_bundle_that_holds_no_certificate_is_refused_at_load(tmp_path: Path) -> None:
    """It failed building the HTTP client, as "Something went wrong" (issue 18.10)."""
    import trustme

    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("not a certificate\n")
    found = only_problem(f"[provider]\nca_bundle = {toml_value(str(not_pem))}\n")
    assert found.startswith(f"provider.ca_bundle: {str(not_pem)!r} holds no certificate")
    assert "PEM" in found
    pem = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(pem))
    assert parse_config(f"[provider]\nca_bundle = {toml_value(str(pem))}\n").provider.ca_bundle


def test_a_pattern_may_take_the_cards_pin_and_a_misplaced_pin_group_is_refused() -> None:
    """Issue 21 point 3: a `pin` group after the serial's loads; one before or inside it is
    refused, naming the pattern and saying where the group goes."""
    found = problems(
        """
        [[patterns]]
        name = "Givex with PIN"
        regex = '^(\\d{19})=(?P<pin>\\d{4})$'
        [[patterns]]
        name = "PIN first"
        regex = '^(?P<pin>\\d{4})=(\\d{19})$'
        """
    )
    assert len(found) == 1
    assert found[0].startswith("patterns #2.regex (PIN first):")
    assert "opens its PIN's group first, where the serial's goes" in found[0]


def test_the_pattern_tester_says_a_pin_was_taken_and_never_shows_it() -> None:
    from dataclasses import replace

    from posapp.check import describe_scan
    from posapp.config import Config
    from posapp.core.serials import SerialPattern

    pinned = SerialPattern("Givex with PIN", r"^(\d{19})(?:=(?P<pin>\d{4}))?$")
    config = replace(Config(), patterns=(pinned,))
    said, matched = describe_scan(config, "6036280000000000001=4821")
    assert matched
    assert said == (
        "Givex with PIN matched: Card code 6036280000000000001 and the card's PIN (not shown)"
    )
    said, _ = describe_scan(config, "6036280000000000001")
    assert said == "Givex with PIN matched: Card code 6036280000000000001"
