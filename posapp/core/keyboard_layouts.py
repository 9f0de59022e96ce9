"""What a keyboard-wedge scanner's characters become under a till's keyboard layout. Pure.

A USB wedge scanner types each character as the key a US keyboard has it on (a HID usage
code, Shift added for capitals and symbols); the computer reads those keys through its own
layout. Under a German layout the US key for "_" (Shift and the key right of 0) types "?",
so `SVS_GC-5...` arrives as `SVS?GCß5...` (issue 25). Each table says, for a character the
scanner sends, what arrives instead; a character left out arrives as itself; "" arrives as
nothing (a dead key: it waits for the next key and is lost or merged with it).

Source of every table: xkeyboard-config's symbols files (symbols/us, symbols/de "basic",
symbols/fr "basic", symbols/gb "basic"), as libxkbcommon compiles them with the evdev rules
and the pc105 model, Shift off and on: tests/core/test_keyboard_layouts.py computes them
again from the installed xkb data and compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from posapp.i18n import N_


@dataclass(frozen=True, slots=True)
class Layout:
    name: str  # as a manager says it: "German" (marked N_, translated where shown)
    code: str  # xkb's name: "de"
    arrives: Mapping[str, str]  # sent (US key) -> what arrives ("" for a dead key)


def _table(pairs: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(pairs)


GERMAN = Layout(
    N_("German"),
    "de",
    _table(
        {
            "@": '"', "#": "§", "^": "&", "&": "/", "*": "(", "(": ")", ")": "=",
            "-": "ß", "_": "?", "=": "", "+": "", "y": "z", "Y": "Z", "[": "ü", "{": "Ü",
            "]": "+", "}": "*", ";": "ö", ":": "Ö", "'": "ä", '"': "Ä", "`": "", "~": "°",
            "\\": "#", "|": "'", "z": "y", "Z": "Y", "<": ";", ">": ":", "/": "-", "?": "_",
        }
    ),
)  # fmt: skip
FRENCH = Layout(
    N_("French"),
    "fr",
    _table(
        {
            "1": "&", "!": "1", "2": "é", "@": "2", "3": '"', "#": "3", "4": "'", "$": "4",
            "5": "(", "%": "5", "6": "-", "^": "6", "7": "è", "&": "7", "8": "_", "*": "8",
            "9": "ç", "(": "9", "0": "à", ")": "0", "-": ")", "_": "°", "q": "a", "Q": "A",
            "w": "z", "W": "Z", "[": "", "{": "", "]": "$", "}": "£", "a": "q", "A": "Q",
            ";": "m", ":": "M", "'": "ù", '"': "%", "`": "²", "\\": "*", "|": "µ", "z": "w",
            "Z": "W", "m": ",", "M": "?", ",": ";", "<": ".", ".": ":", ">": "/", "/": "!",
            "?": "§",
        }
    ),
)  # fmt: skip
UK = Layout(
    N_("UK"),
    "gb",
    _table({"@": '"', "#": "£", '"': "@", "~": "¬", "\\": "#", "|": "~"}),
)

LAYOUTS: tuple[Layout, ...] = (GERMAN, FRENCH, UK)


def typed(layout: Layout, text: str) -> str:
    """What arrives when a scanner sends `text` through the layout."""
    return "".join(layout.arrives.get(ch, ch) for ch in text)


def undone(layout: Layout, text: str) -> str | None:
    """What the scanner sent, read back from what arrived through the layout; None when
    the arrival cannot be read back (two characters arrive alike, or one is lost)."""
    back: dict[str, str] = {}
    for sent, got in layout.arrives.items():
        if got:
            back[got] = sent
    out = []
    for ch in text:
        if ch in back:
            out.append(back[ch])
        elif layout.arrives.get(ch, ch) == ch:
            out.append(ch)  # a character this layout leaves alone
        else:
            return None  # `ch` arrives only for another key: it was not sent as itself
    return "".join(out)


def swapped_case(text: str) -> str:
    """Each letter in the other case, one character for one (Caps Lock's work): "ß" stays,
    where str.swapcase would make it "SS"."""
    return "".join(_swap(ch) for ch in text)


def _swap(ch: str) -> str:
    other = ch.swapcase()
    return other if len(other) == 1 else ch
