"""The pseudo-locale of the language tests (issue 25 point 1): a catalog that marks every
message it translates ("«Card {card}»", in signs a receipt printer's code page has too), so that a word shown without the marks is one the
catalogs never saw: an English string left unwrapped. And what may stand unmarked: data."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from posapp import i18n

OPEN, CLOSE = "«", "»"  # cp437 has them: the marks survive the paper
_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


class Pseudo(gettext.NullTranslations):
    """Every message, marked (placeholders kept: the code formats them as ever)."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"{OPEN}{msgid1 if n == 1 else msgid2}{CLOSE}"

    def pgettext(self, context: str, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """The till's words in `language` ("pseudo": marked, with German's dates and casing)."""
    if language == "pseudo":
        i18n.use_translations(Pseudo(), "de")
    else:
        i18n.use(language)
    try:
        yield
    finally:
        i18n.use("en")


def unmarked(text: str, data: Iterable[str] = ()) -> list[str]:
    """The words of `text` outside every mark and outside `data` (what the store, the
    provider or the cashier wrote: a name, an item, a code), as found."""
    rest, before = text, None
    while rest != before:  # marks inside marks: the innermost first
        before, rest = rest, _MARKED.sub(" ", rest)
    for said in sorted(data, key=len, reverse=True):
        rest = rest.replace(said, " ")
    return _WORD.findall(rest)
