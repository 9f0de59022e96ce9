"""What the manager typed or scanned on the gift cards screen, as the provider's list is asked
for it (api.md "Finding a gift card"), and a new card's code. Pure.

The trial (issue 19.14): the code as printed ("SVS_GC-500000000000002") and its last four
("0002", what a slip shows) found nothing, nor did a canceled card. Text the store's patterns
take is the card's code, as a scan at the till would be; other text of four or more
characters is the end of a code. A search finds canceled cards too: the card is in the
manager's hand, whatever it became.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from posapp.core.readable_code import readable, unreadable_words
from posapp.core.serials import CardRef, SerialPatterns, clean
from posapp.i18n import _

ENDS_FROM = 4  # api.md: code_ends_with takes 4 to 64 characters
# api.md "Conventions": a code is 1 to 64 letters, digits, spaces and dashes.
CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 -]{0,62}[A-Za-z0-9-])?")
MASK_SIGNS = "•*·. "  # what a masked code is shown with ("••0002", "****0002")


@dataclass(frozen=True, slots=True)
class Search:
    """The list's query for what was typed (empty: the whole list), in words too."""

    query: dict[str, Any] = field(default_factory=dict)
    words: str = ""  # "ending in 0002", "SVS_GC-…'s code 500000000000002"
    token: str | None = None  # a QR code's token: the card is found by validate first


def search_for(text: str, patterns: SerialPatterns) -> Search | str:
    """The query, or why the text cannot be searched for (in words)."""
    typed = clean(text)
    if not typed:
        return Search()
    found = patterns.extract(typed)
    if isinstance(found, CardRef):
        if found.lookup == "public_token":
            return Search(words=_("the scanned QR code"), token=found.value)
        query = {"code": found.value, "include_canceled": True}
        return Search(query, _("code {code}").format(code=found.value))
    end = typed.lstrip(MASK_SIGNS)  # "••0002" as a slip shows it: its last four
    if CODE.fullmatch(end) and len(end) >= ENDS_FROM:
        said = _("codes ending in {end}").format(end=end)
        return Search({"code_ends_with": end, "include_canceled": True}, said)
    if CODE.fullmatch(end):  # a short code, typed whole
        return Search({"code": end, "include_canceled": True}, _("code {code}").format(code=end))
    return _(
        "“{typed}” is not a card code: scan the card, or type its code or its last four "
        "(letters, digits, spaces and dashes)"
    ).format(typed=typed)


def shown(text: str, patterns: SerialPatterns) -> str:
    """What a manager screen's field keeps of a scan: the card's serial where a pattern took
    the card's PIN from it (the trial of a till, 5b #5: the search box, Create's Code field
    and the pattern tester kept `…=4321` on show), else the scan as it came."""
    typed = clean(text)
    found = patterns.extract(typed)
    if isinstance(found, CardRef) and found.pin:
        return found.value
    return typed


def new_code(text: str, patterns: SerialPatterns) -> str:
    """A new card's code from what was typed or scanned: the code the store's patterns
    take out of it ("SVS_GC-500000000000077" gives 500000000000077), or the text as typed;
    ValueError in words when it cannot be a code."""
    typed = clean(text)
    if not typed:
        raise ValueError(_("Type or scan the new card's code"))
    found = patterns.extract(typed)
    if isinstance(found, CardRef) and found.lookup == "code":
        return found.value
    if CODE.fullmatch(typed):
        # The second trial (till #3): "XYZ-1" got $1.00 though no pattern reads it, and the
        # cashier's screen could never use it. A code the till cannot read is refused.
        if not readable(typed, patterns):
            raise ValueError(unreadable_words(typed, patterns))
        return typed
    raise ValueError(
        _(
            "“{typed}” is not a card code this till knows: scan the new card, or type its code "
            "(1 to 64 letters, digits, spaces and dashes)"
        ).format(typed=typed)
    )
