"""What each receipt says: its lines from a journal entry or a card, and the Receipt around
them with the store's heading. Pure: the terminal's use cases fill them in from the journal
and the provider; hardware.printers lays them out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from posapp.core.cardview import cannot_pay, capital
from posapp.core.entry import Entry
from posapp.core.gift import Gift, Movement
from posapp.core.glossary import CASHED_OUT, count, day, items, transaction
from posapp.core.money import format_money
from posapp.core.receipt import Line, Receipt, ReceiptKind
from posapp.core.settings import ReceiptHeading
from posapp.i18n import N_, _

# The receipt's first line, what moved: what the customer paid or was paid.
AMOUNT_LABEL = {
    "cash_out": N_("Cash paid out"),
    "activation": N_("Sold for"),
    "issue": N_("Refunded"),
    "void": N_("Voided"),
}


def local(timestamp: float, tz: tzinfo | None) -> datetime:
    """An epoch time (the journal's) in the till's time zone."""
    return datetime.fromtimestamp(timestamp, UTC).astimezone(tz)


def make_receipt(
    heading: ReceiptHeading,
    kind: ReceiptKind,
    lines: Iterable[Line],
    *,
    cashier: str,
    when: datetime,
    serial: str | None = None,
    footer: tuple[str, ...] | None = None,
    transaction_id: str | None = None,
    receipt_number: str | None = None,
    new_card_code: str | None = None,
    not_confirmed: bool = False,
    signature_line: bool = False,
    open_drawer: bool = False,
    notes: tuple[str, ...] = (),
) -> Receipt:
    """A receipt with the store's heading; the store's footer unless `footer` says other."""
    return Receipt(
        kind=kind,
        store_name=heading.store_name,
        header=heading.address,
        location=heading.location,
        cashier=cashier,
        when=when,
        lines=tuple(lines),
        serial_number=serial,
        mask_serial=heading.mask_serial,
        transaction_id=transaction_id,
        receipt_number=receipt_number,
        new_card_code=new_card_code,
        footer=heading.footer if footer is None else footer,
        not_confirmed=not_confirmed,
        signature_line=signature_line,
        open_drawer=open_drawer,
        notes=notes,
    )


def entry_lines(
    entry: Entry,
    locale: str,
    *,
    movement: Movement | None = None,
    before: Gift | None = None,
    not_confirmed: bool = False,
) -> list[Line]:
    """What a money movement's receipt says it moved and left (its reversal lines apart)."""

    def money(minor: int) -> str:
        return format_money(minor, entry.currency, locale)

    lines: list[Line] = []
    kind = entry.operation
    if entry.quantity is not None:
        lines.append(Line(_("Items"), items(entry.quantity, entry.item_label), bold=True))
    elif entry.amount is not None:
        label = _(AMOUNT_LABEL.get(kind, N_("Amount")))
        lines.append(Line(label, money(entry.amount), bold=True))
    if before is not None and before.kind == "monetary" and before.balance is not None:
        lines.append(Line(_("Balance before"), money(before.eligible_value)))
    if entry.balance_after is not None and not not_confirmed:
        # A card just sold or issued has nothing "left": what it holds is its value.
        label = _("Card value") if kind in ("activation", "issue") else _("Balance left")
        lines.append(Line(label, money(entry.balance_after), bold=True))
    elif movement is not None and movement.gift.kind == "item":
        left = items(movement.gift.item_quantity or 0, movement.gift.item_label)
        lines.append(Line(_("Items left"), left))
    return lines


def reversed_lines(
    original: Entry, made_at: datetime, *, voids: bool, earlier: bool = False
) -> list[Line]:
    """The transaction a reversal undoes (or a void closes): what, when, the provider's id;
    `earlier`: it was made in an earlier shift, so its day is said too, as the screen says
    it (the Adyen trial, 5a #12: "Redemption of 05:01", a receipt from another shift)."""
    when = f"{day(made_at)} {made_at:%H:%M}" if earlier else f"{made_at:%H:%M}"
    what = _("{what} of {when}").format(what=transaction(original.operation), when=when)
    lines = [Line(_("Voids") if voids else _("Reverses"), what)]
    if original.transaction_id:
        lines.append(Line(_("Original"), original.transaction_id))
    return lines


def balance_lines(gift: Gift, locale: str) -> tuple[list[Line], tuple[str, ...]]:
    """The balance once; why it cannot be spent, when it cannot (the lines and the notes)."""
    held = gift.balance if gift.kind == "monetary" else gift.item_quantity
    if gift.kind == "item":
        left = count(held or 0, gift.item_label or _("item"))
    elif held is None:  # the provider did not say (Adyen, on a card it refuses): not "$0.00"
        left = _("not known")
    else:
        left = format_money(held, gift.currency, locale)
    lines = [Line(_("Balance"), left, bold=True)]
    why = gift.why_not_redeemable()
    if why:
        # One statement: why it cannot pay and what it holds ("Valid at another shop
        # only  $10.00 held"), never the provider's status beside it ("Active").
        reason = gift.not_redeemable_reason or gift.status
        status = _(CASHED_OUT) if gift.cashed_out else capital(cannot_pay(gift, reason))
        held_words = _("{amount} held").format(amount=left)
        lines = [
            Line(status, held_words if held is not None else _("balance not known"), bold=True)
        ]
    if gift.expires_at is not None and gift.status != "expired":
        lines.append(Line(_("Valid until"), day(gift.expires_at)))
    return lines, ((why + ".",) if why else ())
