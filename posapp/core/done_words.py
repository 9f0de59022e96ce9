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
from posapp.i18n import _


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
        words = _("Not confirmed: {doing}. {why}").format(doing=request.words, why=receipt.notes[0])
        return Result(words + warning, "warn", clears_card=True)
    if receipt.not_confirmed:
        words = unknown.no_answer(request.kind, request.words)  # hold on, take nothing
        return Result(words + warning, "warn", clears_card=True)
    amount = next((line.value for line in receipt.lines if line.bold), "")  # what moved
    tone: Tone = "ok"
    after = request.job.after if isinstance(request.job, Reverse | Void) else ""
    title = receipt.title.capitalize()
    said = printed.said  # "receipt printed", or where it went, or nowhere
    on_paper = said == _("receipt printed")  # not a picture's file, not nowhere
    if request.kind == "reprint" and not printed.on_paper:
        done = _("{title}: {printed}.").format(title=title, printed=said)
    elif request.kind == "reprint":
        done = _reprinted(title, amount, "" if on_paper else said)
    elif request.kind == "reversal" and amount and request.code:
        done = _("Reversed {amount} on {card}; {printed}.").format(
            amount=amount, card=short(request.code), printed=said
        )
        done = f"{done} {after}".rstrip()
    elif request.kind == "balance" and card is not None:
        # A balance slip is not a thing done (issue 19.15: "$62.50 done"): what it says.
        slip = _("balance slip printed") if on_paper else said
        done = _("Balance of {card}: {amount}; {printed}.").format(
            card=short(card.code), amount=amount or card.left(locale), printed=slip
        )
        done, tone = unusable.balance_words(done, card)  # amber on a card that cannot pay
    elif request.kind == "issue" and amount:
        paper = printed.on_paper and on_paper
        done = refund_done(amount, receipt.new_card_code, said, on_paper=paper)
    elif request.kind == "void" and amount and request.code:
        done = _("Voided {card}: {amount} taken off and the card closed; {printed}.").format(
            card=short(request.code), amount=amount, printed=said
        )
        done = f"{done} {after}".rstrip()
    elif amount:
        done = _("{title}: {amount} done; {printed}.").format(
            title=title, amount=amount, printed=said
        )
    else:
        done = _("{title}: {printed}.").format(title=title, printed=said)
    if request.kind == "issue" and not printed.on_paper:
        # No paper to hand over: the code the customer needs is said here, and kept
        # for the manager (F12, Refund cards).
        code = receipt.new_card_code
        done += " " + _("Give the customer the new card's code: {code}.").format(code=code)
    return Result(
        done + warning,
        "warn" if warning else tone,
        card=fresh,
        clears_card=request.moves_money
        and (card is not None or request.code is not None)
        and fresh is None,
        moved=True if request.moves_money else None,
    )


def _reprinted(title: str, amount: str, where: str) -> str:
    """ "Reprinted: Gift card redemption, $5.00."; `where`: the picture's file, if one."""
    if amount and where:
        return _("Reprinted: {title}, {amount}; {printed}.").format(
            title=title, amount=amount, printed=where
        )
    if amount:
        return _("Reprinted: {title}, {amount}.").format(title=title, amount=amount)
    if where:
        return _("Reprinted: {title}; {printed}.").format(title=title, printed=where)
    return _("Reprinted: {title}.").format(title=title)
