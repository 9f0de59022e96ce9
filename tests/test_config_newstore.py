"""[provider] api = "newstore" (issue 22 point 2): its keys as docs/newstore.md says them, and
each mistake one sentence naming its key."""

from __future__ import annotations

import pytest

from posapp.config import parse_config
from tests.test_config import problems

NEWSTORE = '[provider]\napi = "newstore"\nurl = "https://dodici.x.newstore.net/v0/c"\n'


def test_the_newstore_keys() -> None:
    config = parse_config(
        NEWSTORE + 'store_id = "milano"\nvalue_units = "minor"\ncash_out_enabled = true\n'
    )
    provider = config.provider
    assert (provider.api, provider.store_id, provider.value_units, provider.cash_out_enabled) == (
        "newstore", "milano", "minor", True,
    )  # fmt: skip
    defaults = parse_config(NEWSTORE + 'store_id = "milano"\n').provider
    assert (defaults.value_units, defaults.cash_out_enabled) == ("major", False)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (NEWSTORE, "provider.store_id: NewStore needs this till's store id"),
        (
            '[provider]\napi = "newstore"\nurl = "http://dodici.example/v0/c"\nstore_id = "m"\n',
            "provider.url: 'http://dodici.example/v0/c' is plain http:// to another machine",
        ),
        (NEWSTORE + 'store_id = "m"\nvalue_units = "cents"\n', "provider.value_units"),
        ('[provider]\nstore_id = "m"\n', 'provider.store_id: only used with api = "newstore"'),
        ("[provider]\ncash_out_enabled = true\n", "provider.cash_out_enabled: only used with"),
        ('[provider]\nvalue_units = "minor"\n', "provider.value_units: only used with"),
    ],
)
def test_each_mistake_is_one_sentence_naming_its_key(text: str, says: str) -> None:
    (found,) = problems(text)
    assert found.startswith(says), found


def test_the_example_config_shows_the_newstore_option_and_keys() -> None:
    """The NewStore trial (finding 7): the file `posapp check --offline` writes named only
    "posapp", "square" and "adyen". Its NewStore lines, uncommented, make a NewStore till."""
    from pathlib import Path

    example = (Path(__file__).parents[1] / "assets/posapp.example.toml").read_text()
    assert '"newstore"' in example
    lines = example.splitlines()
    keys = [
        line for line in lines if line.startswith(("# store_id", "# value_units", "# cash_out_"))
    ]
    assert len(keys) == 3
    start = lines.index("[provider]")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("["))
    table = [line for line in lines[start:end] if not line.startswith(("api =", "url ="))]
    table += [line.removeprefix("# ") for line in keys]
    made = parse_config(NEWSTORE + "\n".join(table[1:]) + "\n").provider
    assert (made.api, made.store_id, made.value_units, made.cash_out_enabled) == (
        "newstore", "milano", "major", False,
    )  # fmt: skip
