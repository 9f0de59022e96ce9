"""Scanner calibration (issue 25, point 2): learn what a wedge scanner's keys become, read it
back. posapp/core/wedge_map.py."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from posapp.core.keyboard_layouts import FRENCH, GERMAN, LAYOUTS, UK, swapped_case, typed
from posapp.core.wedge_map import (
    END,
    START,
    Learnt,
    NotLearnt,
    WedgeMap,
    alphabet,
    calibration_code,
    from_pairs,
    learn,
    pairs_problem,
)

DEMO = [r"^SVS_GC-(\d{15})$", r"^(\d{12})$"]
CARD = "SVS_GC-500000000000001"


def learnt(sent: str, arrived: str) -> Learnt:
    found = learn(sent, arrived)
    assert isinstance(found, Learnt), found
    return found


def test_the_code_holds_every_character_of_the_patterns_in_order_between_the_marks() -> None:
    assert alphabet(DEMO) == "-0123456789CGSV_"
    assert calibration_code(DEMO) == "XJ-0123456789CGSV_JX"
    assert alphabet([r"^([A-F0-9]{8})$"]) == "0123456789ABCDEF"
    assert alphabet([r"^GC@(\w{4})$"]) == "".join(
        sorted(set("@" + string.ascii_letters + string.digits + "_"))
    )


def test_each_layout_is_learnt_named_and_read_back() -> None:
    code = calibration_code(DEMO)
    for layout in (GERMAN, FRENCH):
        found = learnt(code, typed(layout, code))
        assert found.said[0].startswith(f"{layout.name} layout: ")
        assert found.map.read(typed(layout, CARD)) == CARD
    german = learnt(code, "XJß0123456789CGSV?JX")
    assert german.map.pairs == "?_ ß-"
    assert german.said == ("German layout: - arrives as ß, _ arrives as ? (read back).",)


def test_y_and_z_swapped_are_said_as_a_swap_and_the_other_case_follows() -> None:
    code = calibration_code([r"^YZ-(\d{4})$"])
    found = learnt(code, typed(GERMAN, code))
    assert "Y\u2194Z" in found.said[0]
    assert found.map.read(typed(GERMAN, "yz-1234")) == "yz-1234"


def test_uk_swaps_at_and_quote() -> None:
    code = calibration_code([r'^GC@"(\d{6})$'])
    found = learnt(code, typed(UK, code))
    assert found.said[0].startswith("UK layout: ")
    assert '"\u2194@' in found.said[0]
    assert found.map.read(typed(UK, 'GC@"123456')) == 'GC@"123456'


def test_prefix_aim_and_suffix_are_found_and_removed() -> None:
    code = calibration_code(DEMO)
    found = learnt(code, "STX" + "+C0" + typed(GERMAN, code) + "~!")
    assert (found.map.prefix, found.map.aim, found.map.suffix) == ("STX", "+", "~!")
    assert any("AIM identifier (+C0" in said for said in found.said)
    assert found.map.read("STX+E0" + typed(GERMAN, CARD) + "~!") == CARD  # another kind of barcode


def test_a_dropped_first_or_last_character_is_said() -> None:
    code = calibration_code(DEMO)
    assert learnt(code, code[1:]).drop == "first"
    assert learnt(code, code[:-1]).drop == "last"
    assert "drops the first character" in " ".join(learnt(code, code[1:]).said)


def test_case_inversion_by_the_scanner_is_a_rule_and_caps_lock_is_undone_without_one() -> None:
    code = calibration_code(DEMO)
    inverted = learnt(code, swapped_case(code))
    assert inverted.map.invert_case
    assert inverted.map.read(swapped_case(CARD)) == CARD
    # Caps Lock on at the till as well: the two inversions cancel, and are read so.
    assert inverted.map.read(CARD, caps_lock=True) == CARD
    plain = learnt(code, typed(GERMAN, code)).map
    assert plain.read(swapped_case(typed(GERMAN, CARD)), caps_lock=True) == CARD
    assert WedgeMap().read("svs_gc-1", caps_lock=True) == "SVS_GC-1"


def test_two_characters_arriving_alike_are_refused_in_words() -> None:
    code = calibration_code(DEMO)
    found = learn(code, code.replace("_", "-"))
    assert isinstance(found, NotLearnt)
    assert found.reason.startswith("- and _ both arrive as -")


def test_a_dead_key_losing_a_character_is_refused_in_words() -> None:
    code = calibration_code([r"^A=(\d{4})$"])  # "=" is a dead key on a German layout
    arrived = typed(GERMAN, code)
    assert len(arrived) == len(code) - 1
    found = learn(code, arrived)
    assert isinstance(found, NotLearnt)
    assert "1 of the characters sent arrived as nothing" in found.reason


def test_a_scan_that_is_not_the_code_is_refused() -> None:
    found = learn(calibration_code(DEMO), "SVS_GC-500000000000001")
    assert isinstance(found, NotLearnt)
    assert START in found.reason
    assert END in found.reason


def test_the_config_text_reads_back_and_bad_text_is_said() -> None:
    assert from_pairs("?_ ß-") == (("?", "_"), ("ß", "-"))
    assert pairs_problem("?_ ß-") is None
    assert "two characters" in (pairs_problem("?_x") or "")
    assert "given twice" in (pairs_problem("?_ ?-") or "")


# A layout made up: each character of the calibrated alphabet arrives as another, all
# distinct, none a mark's letter; the scanner may add text before and after and invert case.
MARKS = set(START + END) | {c.lower() for c in START + END}
IMAGES = [c for c in string.printable[:94] + "äöüßéèàç°§£µ" if c not in MARKS]
EXTRA = st.text(alphabet="0123456789!#%&*+=<>", max_size=4)


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    pool = sorted(set(IMAGES) & set(string.printable[:94]))
    chars = draw(st.sets(st.sampled_from(pool), min_size=1, max_size=30))
    sent = "".join(sorted(chars))
    images = draw(st.permutations(IMAGES))[: len(sent)]
    return sent, dict(zip(sent, images, strict=True))


@given(layouts(), EXTRA, EXTRA, st.booleans(), st.data())
def test_learn_then_read_is_the_identity_on_codes_of_the_alphabet(
    layout: tuple[str, dict[str, str]], prefix: str, suffix: str, invert: bool, data: st.DataObject
) -> None:
    body, arrives = layout
    code = START + body + END

    def through(text: str) -> str:
        out = "".join(arrives.get(c, c) for c in text)
        return swapped_case(out) if invert else out

    arrived = prefix + through(code) + suffix
    found = learn(code, arrived)
    if isinstance(found, NotLearnt):  # only when the made-up prefix looks like the marks
        assert "more than one way" in found.reason or "AIM" in found.reason
        return
    card = data.draw(st.text(alphabet=body, min_size=1, max_size=40))
    assert found.map.read(prefix + through(card) + suffix) == card


def test_every_known_layout_round_trips_the_printable_alphabet() -> None:
    for layout in LAYOUTS:
        # Less the layout's dead keys (they arrive as nothing: refused above).
        body = "".join(c for c in string.printable[:94] if layout.arrives.get(c, c))
        sent = START + body + END
        found = learnt(sent, typed(layout, sent))
        assert found.map.read(typed(layout, sent)) == sent


def test_an_uncalibrated_scan_a_layout_explains_is_said_to_be_a_layout_problem() -> None:
    from posapp.core.serials import LAYOUT_PROBLEM, NoMatch, SerialPattern, SerialPatterns

    patterns = SerialPatterns.load(
        [SerialPattern("SVS gift card", DEMO[0], case="upper"), SerialPattern("Voucher", DEMO[1])]
    )
    for layout in (GERMAN, FRENCH):
        found = patterns.extract(typed(layout, CARD))
        assert isinstance(found, NoMatch)
        assert found.reason == LAYOUT_PROBLEM
    garbled = patterns.extract("SVS?GC-12")
    assert isinstance(garbled, NoMatch)
    assert "not a gift card" in garbled.reason


def test_a_uk_layouts_scan_of_a_pattern_with_an_at_sign_is_a_layout_problem() -> None:
    from posapp.core.serials import LAYOUT_PROBLEM, NoMatch, SerialPattern, SerialPatterns

    patterns = SerialPatterns.load([SerialPattern("GC", r"^GC@(\d{6})$")])
    found = patterns.extract(typed(UK, "GC@123456"))  # arrives as GC"123456
    assert isinstance(found, NoMatch)
    assert found.reason == LAYOUT_PROBLEM
