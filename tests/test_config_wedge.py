"""[scanner] wedge_* keys: the scanner calibration the till keeps (issue 25.2)."""

from __future__ import annotations

import pytest

from posapp.config import ConfigError, config_from_dict
from posapp.core.wedge_map import WedgeMap


def test_the_keys_read_into_the_map_and_back() -> None:
    keys = {
        "wedge_map": "?_ ß-",
        "wedge_case": "invert",
        "wedge_prefix": "STX",
        "wedge_suffix": "~",
        "wedge_aim": "+",
    }
    config = config_from_dict({"scanner": keys})
    found = WedgeMap.of(config.scanner)
    assert found == WedgeMap((("?", "_"), ("ß", "-")), True, "STX", "~", "+")
    assert found.keys() == keys
    assert WedgeMap.of(config_from_dict({}).scanner).empty


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("wedge_map", "?_x", "scanner.wedge_map: each pair is two characters"),
        ("wedge_map", "?_ ?-", "scanner.wedge_map: '?' is given twice"),
        ("wedge_aim", "+C0", "scanner.wedge_aim: one character (what ] arrives as"),
        ("wedge_case", "upper", "scanner.wedge_case:"),
    ],
)
def test_a_bad_value_is_said_with_its_key(key: str, value: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"scanner": {key: value}})
    assert any(problem.startswith(said) for problem in caught.value.problems), caught.value.problems
