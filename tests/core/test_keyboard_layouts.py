"""The layout tables in posapp/core/keyboard_layouts.py are xkeyboard-config's: computed again
here from the installed xkb data with libxkbcommon (evdev rules, pc105), Shift off and on."""

from __future__ import annotations

import ctypes
import ctypes.util

import pytest

from posapp.core.keyboard_layouts import LAYOUTS, swapped_case, typed, undone

SHIFT = 50  # evdev keycode 42 + 8: Shift_L


class _Names(ctypes.Structure):
    _fields_ = [(n, ctypes.c_char_p) for n in ("rules", "model", "layout", "variant", "options")]


def _keys(lib: ctypes.CDLL, context: int, layout: str) -> dict[tuple[int, int], str]:
    names = _Names(b"evdev", b"pc105", layout.encode(), b"", b"")
    keymap = lib.xkb_keymap_new_from_names(context, ctypes.byref(names), 0)
    assert keymap, layout
    found = {}
    for shift in (0, 1):
        state = lib.xkb_state_new(keymap)
        if shift:
            lib.xkb_state_update_key(state, SHIFT, 1)  # XKB_KEY_DOWN
        for code in range(8, 256):
            u = lib.xkb_state_key_get_utf32(state, code)
            found[(code, shift)] = chr(u) if u else ""
        lib.xkb_state_unref(state)
    lib.xkb_keymap_unref(keymap)
    return found


def test_the_tables_are_what_xkb_makes_of_a_us_scanners_keys() -> None:
    path = ctypes.util.find_library("xkbcommon")
    if path is None:
        pytest.skip("libxkbcommon is not installed")
    lib = ctypes.CDLL(path)
    lib.xkb_context_new.restype = ctypes.c_void_p
    lib.xkb_keymap_new_from_names.restype = ctypes.c_void_p
    lib.xkb_keymap_new_from_names.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    lib.xkb_keymap_unref.argtypes = [ctypes.c_void_p]
    lib.xkb_state_new.restype = ctypes.c_void_p
    lib.xkb_state_new.argtypes = [ctypes.c_void_p]
    lib.xkb_state_unref.argtypes = [ctypes.c_void_p]
    lib.xkb_state_update_key.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int]
    lib.xkb_state_key_get_utf32.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    lib.xkb_state_key_get_utf32.restype = ctypes.c_uint32
    context = lib.xkb_context_new(0)
    us = _keys(lib, context, "us")
    for layout in LAYOUTS:
        theirs = _keys(lib, context, layout.code)
        expected = {}
        for key, sent in sorted(us.items()):
            if len(sent) == 1 and 32 < ord(sent) < 127 and sent not in expected:
                expected[sent] = theirs[key]
        assert {s: g for s, g in expected.items() if g != s} == dict(layout.arrives), layout.name


def test_an_arrival_is_read_back_through_its_layout() -> None:
    german = LAYOUTS[0]
    assert typed(german, "SVS_GC-5") == "SVS?GCß5"
    assert undone(german, "SVS?GCß5") == "SVS_GC-5"
    assert undone(german, "SVS@") is None  # "@" never arrives through a German layout
    assert swapped_case("aßB") == "Aßb"  # one for one: "ß" is not "SS"
