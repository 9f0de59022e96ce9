"""The words of an answered till request (house rule 6: what happened, what to do), from
its receipt and what became of the paper. Pure: terminal/till_calls.py runs the request,
prints its receipt and reads the card again, then asks these words of the result."""

from __future__ import annotations

from dataclasses import dataclass

from posapp.core import unknown, unusable
from posapp.core.gift import Gift
from posapp.core.issue import refund_done
from posapp.core.receipt import Receipt
from posapp.core.serial_number import short
from posapp.core.till_request import Request, Result, Reverse, Tone, Void


@dataclass(frozen=True, slots=True)
class Printed:
    """What became of a receipt: `said` in the cashier's words ("receipt printed", where its
    picture went, or that there is no printer); `on_paper`: a printer the till has (none:
    nothing to hand over); `problem`: the printer's words when it failed ("" when not)."""

    said: str
    on_paper: bool
    problem: str = ""


def done_words(
    request: Request, receipt: Receipt, printed: Printed, fresh: Gift | None, locale: str
) -> Result:
    """The result of `request` whose receipt is `receipt`; `fresh`: its card read again
    after it (None when not read, or when the provider did not answer)."""
    warning = f" {printed.problem}" if printed.problem else ""
    card = request.card
    if receipt.not_confirmed and receipt.notes:  # an answer that did not add up
        words = f"Not confirmed: {request.words}. {receipt.notes[0]}"
        return Result(words + warning, "warn", clears_card=True)
    if receipt.not_confirmed:
        words = unknown.no_answer(request.kind, request.words)  # hold on, take nothing
        return Result(words + warning, "warn", clears_card=True)
    amount = next((line.value for line in receipt.lines if line.bold), "")  # what moved
    tone: Tone = "ok"
    after = request.job.after if isinstance(request.job, Reverse | Void) else ""
    title = receipt.title.capitalize()
    said = printed.said  # "receipt printed", or where it went, or nowhere
    if request.kind == "reprint" and not printed.on_paper:
        done = f"{title}: {said}."
    elif request.kind == "reprint":
        where = "" if said == "receipt printed" else f"; {said}"  # a picture: its file
        done = f"Reprinted: {title}" + (f", {amount}" if amount else "") + f"{where}."
    elif request.kind == "reversal" and amount and request.code:
        done = f"Reversed {amount} on {short(request.code)}; {said}. {after}"
        done = done.rstrip()
    elif request.kind == "balance" and card is not None:
        # A balance slip is not a thing done (issue 19.15: "$62.50 done"): what it says.
        slip = said.replace("receipt", "balance slip", 1)
        done = f"Balance of {short(card.code)}: {amount or card.left(locale)}; {slip}."
        done, tone = unusable.balance_words(done, card)  # amber on a card that cannot pay
    elif request.kind == "issue" and amount:
        paper = printed.on_paper and said == "receipt printed"
        done = refund_done(amount, receipt.new_card_code, said, on_paper=paper)
    elif request.kind == "void" and amount and request.code:
        code = short(request.code)
        done = f"Voided {code}: {amount} taken off and the card closed; {said}. {after}"
        done = done.rstrip()
    elif amount:
        done = f"{title}: {amount} done; {said}."
    else:
        done = f"{title}: {said}."
    if request.kind == "issue" and not printed.on_paper:
        # No paper to hand over: the code the customer needs is said here, and kept
        # for the manager (F12, Refund cards).
        done += f" Give the customer the new card's code: {receipt.new_card_code}."
    return Result(
        done + warning,
        "warn" if warning else tone,
        card=fresh,
        clears_card=request.moves_money
        and (card is not None or request.code is not None)
        and fresh is None,
        moved=True if request.moves_money else None,
    )
