"""The one mark of an error whose message was written for the person who reads it (house
rule 6): a declined card, a printer out of paper, an amount typed wrong, a missing token.
Such errors inherit ForPeople wherever they are defined; terminal/words.py says them as they
are and logs anything else."""

from __future__ import annotations


class ForPeople(Exception):
    """An error whose message a cashier or a manager reads as it is and can act on."""
