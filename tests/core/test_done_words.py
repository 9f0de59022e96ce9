"""The words of an answered till request come from what happened and what became of the
paper; the money moved is said, the printer's trouble kept beside it (core/done_words.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from posapp.core.done_words import Printed, done_words
from posapp.core.receipt import Line, Receipt, ReceiptKind
from posapp.core.till_request import Refund, Reprint, Request, Reverse

PRINTED = Printed("receipt printed", on_paper=True)


def receipt(kind: ReceiptKind, *lines: Line, new_card: str | None = None) -> Receipt:
    return Receipt(
        kind=kind,
        store_name="Shop",
        header=(),
        location="Till 1",
        cashier="",
        when=datetime(2026, 12, 6, tzinfo=UTC),
        lines=lines,
        new_card_code=new_card,
    )


def test_a_reversal_says_how_much_went_back_on_which_card() -> None:
    request = Request(Reverse(7, "SVS_GC-500000000000001", after="Give back the cash."), "")
    said = done_words(
        request, receipt("reversal", Line("Amount", "$12.50", bold=True)), PRINTED, None, "en_US"
    )
    assert said.words == "Reversed $12.50 on ••0001; receipt printed. Give back the cash."
    assert (said.tone, said.moved, said.clears_card) == ("ok", True, True)


def test_a_printer_problem_is_said_after_the_result_in_amber() -> None:
    trouble = Printed("receipt not printed", on_paper=True, problem="The printer is out of paper")
    said = done_words(Request(Reprint(None), ""), receipt("balance"), trouble, None, "en_US")
    assert said.words == (
        "Reprinted: Gift card balance; receipt not printed. The printer is out of paper"
    )
    assert said.tone == "warn"


def test_a_refund_card_without_paper_says_its_code() -> None:
    nowhere = Printed("no printer: the receipt is not printed", on_paper=False)
    slip = receipt("issue", Line("Refunded", "$19.99", bold=True), new_card="GC-7777-0001")
    said = done_words(Request(Refund(1999, None), ""), slip, nowhere, None, "en_US")
    assert said.words.endswith(" Give the customer the new card's code: GC-7777-0001.")
