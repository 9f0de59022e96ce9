"""Issue 21 point 3: a pattern may take the card's PIN from the scan as a group named `pin`,
after the serial's and outside it; one that places it elsewhere is refused at load, saying
what is wrong and how to write it."""

from __future__ import annotations

import pytest

from posapp.core.serials import CardRef, NoMatch, PatternError, SerialPattern, compile_pattern

PINNED = SerialPattern("Givex with PIN", r"^(\d{19})(?:=(?P<pin>\d{4}))?$")
SERIAL = "6036280000000000001"


def test_the_pin_group_gives_the_pin_beside_the_serial_and_never_shows_it() -> None:
    found = compile_pattern(PINNED).extract(f"{SERIAL}=4821")
    assert isinstance(found, CardRef)
    assert (found.value, found.pin) == (SERIAL, "4821")
    assert "4821" not in repr(found)
    assert "4821" not in str(found)


def test_a_scan_without_the_optional_pin_gives_the_card_alone() -> None:
    found = compile_pattern(PINNED).extract(SERIAL)
    assert isinstance(found, CardRef)
    assert (found.value, found.pin) == (SERIAL, None)


@pytest.mark.parametrize(
    ("regex", "says"),
    [
        (r"^(?P<pin>\d{4}):(\d{19})$", "opens its PIN's group first, where the serial's goes"),
        (r"^(?P<pin>(\d{19}))$", "opens its PIN's group first, where the serial's goes"),
        (r"^((\d{19})(?P<pin>\d{4}))$", "puts its PIN's group inside the serial's"),
        (r"^(?P<pin>\d{4})$", "captures only the card's PIN: put the serial in parentheses"),
        (r"^(\d{19})=(?P<PIN>\d{4})$", "names a group 'PIN': the card's PIN is taken only"),
    ],
)
def test_a_misplaced_pin_group_is_refused_saying_where_it_goes(regex: str, says: str) -> None:
    with pytest.raises(PatternError) as refused:
        compile_pattern(SerialPattern("T", regex))
    assert says in str(refused.value)
    if "names a group" not in says and "only the card" not in says:
        assert "put the PIN's group (?P<pin>...) after it and outside it" in str(refused.value)
    assert r"^(\d{19})=(?P<pin>\d{4})$" in str(refused.value)  # how to write it


def test_a_pin_inside_the_serial_in_a_syntax_only_re2_reads_is_refused_on_the_scan() -> None:
    """Python's parser, which reads the nesting at load, does not know (?<name>...); RE2
    does. The scan then finds the PIN inside the serial, and says so rather than taking a
    serial that holds the PIN."""
    pattern = compile_pattern(SerialPattern("Odd", r"^(\d{4}(?<pin>\d{4}))$"))
    found = pattern.extract("12345678")
    assert isinstance(found, NoMatch)
    assert "Odd puts the card's PIN inside its serial" in found.reason
    assert "5678" not in found.reason
