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
