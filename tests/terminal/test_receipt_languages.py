"""Every receipt type in every language (issue 25 point 1): made by the real use cases against
the real provider, laid out as ESC/POS bytes for 58 mm paper and read back. Each fits its 32
columns, no word of it cut; in the pseudo-locale every word on the paper is a message of the
catalogs (marked) or data (a name, a code, an amount), so an English string left unwrapped on
a receipt fails here, named."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from hardware.printers.decode import TextLine, decode
from hardware.printers.escpos import columns, text
from posapp.adapters.printer import lay_out
from posapp.app import Engine
from posapp.core.receipt import Receipt
from tests.i18n_marks import speaking, unmarked

LANGUAGES = ("pseudo", "de", "fr", "es", "en")
# What the paper may say that is no message: the store's heading (the test config's), the
# demo cards' item, the pattern's and the provider's words are data, and the units.
DATA = (
    "Corner Books",
    "Main Street",
    "Springfield",
    "Till",
    "Coffee",
    "USD",
    "SVS_GC",
    "T-",
    "Thank you!",  # the store's footer ([receipt] footer)
)


def receipts(engine: Engine) -> Iterator[tuple[str, Receipt]]:
    """One of each receipt type the till prints."""
    terminal = engine.terminal
    card = terminal.check("SVS_GC-500000000000001")
    yield "redemption", terminal.redeem(card, 2500)
    yield "items", terminal.redeem(terminal.check("SVS_GC-500000000000008"), quantity=1)
    yield "reversal", terminal.reverse(terminal.shift.shift_entries()[0].id)
    yield "cash_out", terminal.cash_out(terminal.check("SVS_GC-500000000000002"))
    yield "activation", terminal.sell("SVS_GC-700000000000011", amount=4000)
    yield "issue", terminal.refund_to_card(1999)
    for code in ("500000000000001", "500000000000004", "500000000000008"):
        yield f"balance {code}", terminal.print_balance(terminal.check(f"SVS_GC-{code}"))
    sales = terminal.sales
    sale = sales.open(3000, "T-0042")
    slip, sale = sales.pay(sale.id, terminal.check("SVS_GC-500000000000001"), 1000)
    if slip is not None:
        yield "sale card slip", slip
    yield "sale", sales.finish(sale.id)[0]
    sale = sales.open(2000, None)
    _, sale = sales.pay(sale.id, terminal.check("SVS_GC-500000000000001"), 500)
    yield "sale cancelled", sales.cancel(sale.id)[0]
    yield "x_report", terminal.shift.x_report()
    yield "z_report", terminal.shift.z_report()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_receipt_type_fits_58_mm_in_each_language(engine: Engine, language: str) -> None:
    width = columns(58)
    with speaking(language):
        made = list(receipts(engine))
        papers = [decode(lay_out(receipt, paper_width_mm=58)).elements for _, receipt in made]
        titles = [receipt.title for _, receipt in made]
    assert len(made) >= 12
    wrong = []
    for (name, receipt), printed, title in zip(made, papers, titles, strict=True):
        lines = [e for e in printed if isinstance(e, TextLine)]
        paper = " ".join(line.text for line in lines)
        whole = paper.replace("- ", "-")  # "cash-outs" wrapped at its hyphen is not cut
        for line in lines:  # a double-width sign takes two columns
            if sum(len(s.text) * s.width for s in line.segments) > width:
                wrong.append(f"{language} {name}: {line.text!r} is wider than {width} columns")
        # Words wrapped, never cut: each word the receipt says is on the paper whole.
        said = [title, *receipt.notes]
        said += [text for line in receipt.lines for text in (line.label, line.value)]
        for words in said:
            for word in re.findall(r"\S+", text(words).decode("cp437")):  # as printed
                if word not in whole:
                    wrong.append(f"{language} {name}: {word!r} of {words!r} is cut")
        if language == "pseudo" and (left := unmarked(paper, DATA)):
            wrong.append(f"{name}: not through the catalogs: {left} in {paper!r}")
    assert not wrong, "\n".join(wrong)
