"""A USB wedge scanner on the test's X server: a code's keys and its Enter sent through XTEST
in one write.

Why not xdotool: it flushes each key on its own, and the X server stamps a fake key with the
time it handles it. On a loaded machine (two cores, load 5-11) xdotool or Xvfb waited for a
CPU between two keys of one code for 50-160 ms (measured on the server's event times), so
the window's wedge (`max_key_gap_ms`, 50) rightly took the code for a person's typing: the
scan cancelled nothing, or its digits went into the amount. A real scanner's keys carry the
kernel's time of the USB report, which load does not stretch; sent in one write, the server
handles the whole code in one pass, as fast as a scanner types it.
"""

from __future__ import annotations

import ctypes

_X11 = ctypes.CDLL("libX11.so.6")
_XTST = ctypes.CDLL("libXtst.so.6")
_X11.XOpenDisplay.argtypes = [ctypes.c_char_p]
_X11.XOpenDisplay.restype = ctypes.c_void_p
_X11.XStringToKeysym.argtypes = [ctypes.c_char_p]
_X11.XStringToKeysym.restype = ctypes.c_ulong
_X11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
_X11.XKeysymToKeycode.restype = ctypes.c_ubyte
_X11.XkbKeycodeToKeysym.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_int]
_X11.XkbKeycodeToKeysym.restype = ctypes.c_ulong
_X11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
_X11.XCloseDisplay.argtypes = [ctypes.c_void_p]
_XTST.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]


def scan(display: str, keysyms: list[str]) -> None:
    """Press and release each keysym (with Shift where its character needs it), in order,
    and return once the X server has handled them all."""
    dpy = _X11.XOpenDisplay(display.encode())
    assert dpy, f"cannot open X display {display}"
    try:
        shift = _X11.XKeysymToKeycode(dpy, _X11.XStringToKeysym(b"Shift_L"))
        for name in keysyms:
            keysym = _X11.XStringToKeysym(name.encode())
            code = _X11.XKeysymToKeycode(dpy, keysym)
            assert code, f"no key for {name!r} on this keyboard map"
            shifted = _X11.XkbKeycodeToKeysym(dpy, code, 0, 0) != keysym
            if shifted:
                assert _X11.XkbKeycodeToKeysym(dpy, code, 0, 1) == keysym, name
                _XTST.XTestFakeKeyEvent(dpy, shift, 1, 0)
            _XTST.XTestFakeKeyEvent(dpy, code, 1, 0)
            _XTST.XTestFakeKeyEvent(dpy, code, 0, 0)
            if shifted:
                _XTST.XTestFakeKeyEvent(dpy, shift, 0, 0)
        _X11.XSync(dpy, 0)  # one write, and the server has taken every key
    finally:
        _X11.XCloseDisplay(dpy)


def us_keys(display: str, text: str) -> list[tuple[int, bool]]:
    """Each character's key on a US keyboard, and whether Shift goes with it: what a USB
    wedge scanner sends (HID usages of a US keyboard), whatever layout the till reads them
    with. Read while the display's layout is US; a printable ASCII keysym is its code."""
    dpy = _X11.XOpenDisplay(display.encode())
    assert dpy, f"cannot open X display {display}"
    try:
        keys = []
        for ch in text:
            code = _X11.XKeysymToKeycode(dpy, ord(ch))
            assert code, f"no key for {ch!r} on this keyboard map"
            shifted = _X11.XkbKeycodeToKeysym(dpy, code, 0, 0) != ord(ch)
            keys.append((code, shifted))
        return keys
    finally:
        _X11.XCloseDisplay(dpy)


def press(display: str, keys: list[tuple[int, bool]]) -> None:
    """Press and release each key (with Shift where it says), then Enter, in one write:
    a scanner's burst, read through whatever layout the display has now."""
    dpy = _X11.XOpenDisplay(display.encode())
    assert dpy, f"cannot open X display {display}"
    try:
        shift = _X11.XKeysymToKeycode(dpy, _X11.XStringToKeysym(b"Shift_L"))
        enter = _X11.XKeysymToKeycode(dpy, _X11.XStringToKeysym(b"Return"))
        for code, shifted in [*keys, (enter, False)]:
            if shifted:
                _XTST.XTestFakeKeyEvent(dpy, shift, 1, 0)
            _XTST.XTestFakeKeyEvent(dpy, code, 1, 0)
            _XTST.XTestFakeKeyEvent(dpy, code, 0, 0)
            if shifted:
                _XTST.XTestFakeKeyEvent(dpy, shift, 0, 0)
        _X11.XSync(dpy, 0)
    finally:
        _X11.XCloseDisplay(dpy)


_X11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
POINTER_ROOT = 1  # X.h: PointerRoot, as a focus window and as revert_to (RevertToPointerRoot)


def focus_pointer_root(display: str) -> None:
    """Give the keyboard's focus back to "whichever window the pointer is in", as a display
    with no window manager starts: a window that took the focus itself (focus_force) leaves
    it on the root window when it goes, where the session's next till would not find it."""
    dpy = _X11.XOpenDisplay(display.encode())
    assert dpy, f"cannot open X display {display}"
    try:
        _X11.XSetInputFocus(dpy, POINTER_ROOT, POINTER_ROOT, 0)  # CurrentTime
        _X11.XSync(dpy, 0)
    finally:
        _X11.XCloseDisplay(dpy)
