"""Issue 19: what a store's IT person reads to set a till up says what the code does: the
README's commands exist as written, and the example config says what its numbers are."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from posapp.cli import _parser as posapp_parser
from posapp.config import example_config_text, parse_config
from posapp.provider.cli import _parser as provider_parser

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_example_config_says_its_amounts_are_in_cents() -> None:
    text = example_config_text()
    assert "minor unit: cents, so 30000 is $300.00" in text
    assert "amount = 30000          # in minor units (cents): $300.00" in text
    parse_config(text)  # and it is still a config


def test_the_readme_says_which_token_goes_where() -> None:
    assert "`terminal_token` with `posapp set-token`" in README
    assert "`admin_token` with `posapp set-token --admin`" in README
    assert "POSAPP_ADMIN_TOKEN" in README


def test_the_readme_says_how_to_fill_the_screen_with_the_demo() -> None:
    assert (
        "To see the demo as a kiosk till\nshows it, filling the screen: set `fullscreen = true`"
        in README
    )


@pytest.mark.parametrize(
    "line",
    sorted(set(re.findall(r"`(posapp(?:-provider)? [a-z][^`]*)`", README))),
)
def test_every_command_the_readme_names_parses(line: str) -> None:
    """`posapp-provider cash-out ... --allow`, `posapp set-token --admin`: as written."""
    words = shlex.split(line.replace("...", ""))
    program, args = words[0], words[1:]
    parser = provider_parser() if program == "posapp-provider" else posapp_parser()
    if "|" in args:  # "posapp-provider init | serve | demo | token | cash-out": each there
        commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
        assert {w for w in args if w != "|"} <= set(commands)
        return
    args = ["1" if re.fullmatch(r"[A-Z_]+", w) else w for w in args]  # STORE_ID, TEXT
    parser.parse_args(args)


def test_the_readme_says_where_a_settings_change_is_recorded() -> None:
    """The store trial of 6 Dec 2026: "The README says nowhere where a settings change
    leaves a trace"."""
    assert "posapp.toml.previous" in README
    assert '"Settings changes"' in README
    assert '"changed outside the till"' in README


def test_the_readme_lists_the_newstore_demos_own_cards() -> None:
    """The NewStore trial (finding 13): the README's demo cards were the default demo's only."""
    from posapp.newstore_fake.demo_cards import DEMO_CARDS

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    section = readme[readme.index("## NewStore") :]
    for number, *_ in DEMO_CARDS:
        assert number[-4:] in section, number
    assert "the `--api` demos list their own" in readme
