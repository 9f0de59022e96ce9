"""Errors whose message was written for the person at the till (house rule 6).

A class that inherits `ForPeople` promises that `str(error)` says what happened and what to
do, in the cashier's or the manager's words; the window shows it as it is. Anything else is a
bug or a surprise: logged with its traceback, and the screen says only that something went
wrong. One base class instead of a list in the window, so that the window need not import
every room that raises one (the keyring's errors live in adapters, which ui may not import).
"""

from __future__ import annotations


class ForPeople(Exception):
    """An error whose message a cashier or manager can act on."""
