"""X and Z reports and the reconciliation, from journal entries: pure."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from posapp.core.adjustment import signed
from posapp.core.answer import for_the_manager
from posapp.core.entry import Entry
from posapp.core.gift import Transaction
from posapp.core.glossary import ITEMS_PLURAL, TRANSACTION_PLURAL, count, day, items, transaction
from posapp.core.money import format_money
from posapp.core.receipt import Line
from posapp.core.serial_number import shown
from posapp.i18n import N_, _, language

ORDER = ("redemption", "reversal", "cash_out", "activation", "issue", "void")
# What each type does to the money on the store's cards: the net is their signed sum.
SIGN = {"activation": 1, "issue": 1, "reversal": 1, "redemption": -1, "cash_out": -1, "void": -1}
NET_MEANS = N_(
    "Net on cards: cards sold and refunds to cards, less cards voided, redemptions and "
    "cash-outs, plus reversals. Taken in for cards sold: what customers paid for the cards "
    "sold, less the cards sold this shift and voided."
)
# The provider's type for each journal operation (api.md "The transaction object"); a void
# is the reversal of an activation or issue (api.md "Voiding a card sold or issued").
PROVIDER_TYPE = {
    "cash_out": "gift_card_cash_out",
    "void": "reversal",
    # A manager's money changes (api.md "Manager changes").
    "adjustment": "adjustment",
    "card_created": "adjustment",
    "card_canceled": "adjustment",
}
CHANGES = frozenset({"adjustment", "card_created", "card_canceled"})


@dataclass(frozen=True, slots=True)
class ItemTotal:
    """An item gift's movements of one kind and item in the shift: items, not money."""

    operation: str
    label: str  # "Coffee"; "" where the journal did not keep it
    entries: int
    quantity: int


@dataclass(frozen=True, slots=True)
class Totals:
    counts: dict[str, int] = field(default_factory=dict)  # money movements only
    totals: dict[str, int] = field(default_factory=dict)
    cash_paid_out: int = 0
    to_settle: int = 0
    declined: int = 0
    # Item gifts' movements, apart (issue 19.15: "Redemptions (3) $15.00" counted an item
    # redemption among the money ones), in ORDER's order, then by item.
    items: tuple[ItemTotal, ...] = ()
    # What the counter took for cards sold, less those voided: the drawer's side of the sales
    # (the demo trial, 69: a cashier counting the drawer had to work out sold less voided).
    taken_in: int = 0


def item_totals(found: Iterable[ItemTotal]) -> tuple[ItemTotal, ...]:
    """Item totals in the reports' order, without the empty ones."""
    rank = {op: i for i, op in enumerate(ORDER)}
    kept = [t for t in found if t.entries]
    return tuple(sorted(kept, key=lambda t: (rank.get(t.operation, len(ORDER)), t.label)))


def totals(entries: Iterable[Entry]) -> Totals:
    entries = list(entries)
    counts = dict.fromkeys(ORDER, 0)
    amounts = dict.fromkeys(ORDER, 0)
    moved_items: dict[tuple[str, str], tuple[int, int]] = {}
    to_settle = declined = 0
    for entry in entries:
        if entry.moved_money and entry.quantity is not None:
            key = (entry.operation, entry.item_label or "")
            n, quantity = moved_items.get(key, (0, 0))
            moved_items[key] = (n + 1, quantity + entry.quantity)
        elif entry.moved_money:
            counts[entry.operation] += 1
            amounts[entry.operation] += entry.amount or 0
        elif entry.to_settle:
            to_settle += 1
        else:
            declined += 1
    # A reversed cash-out put the money back on the card; the drawer got it back too.
    cash = amounts["cash_out"] - sum(e.amount or 0 for e in entries_reversing(entries, "cash_out"))
    found = item_totals(ItemTotal(op, label, n, q) for (op, label), (n, q) in moved_items.items())
    sold = amounts["activation"] - sum(e.amount or 0 for e in voids_of_sales(entries))
    return Totals(counts, amounts, cash, to_settle, declined, found, sold)


def voids_of_sales(entries: list[Entry]) -> list[Entry]:
    """The voids that closed a card sold in these entries (not a refund card: no one paid)."""
    sold = {e.id for e in entries if e.operation == "activation" and e.moved_money}
    return [
        e for e in entries if e.operation == "void" and e.moved_money and e.reverses_entry in sold
    ]


def entries_reversing(entries: Iterable[Entry], operation: str) -> list[Entry]:
    listed = list(entries)
    by_id = {e.id: e for e in listed}
    return [
        e
        for e in listed
        if e.operation == "reversal"
        and e.moved_money
        and e.reverses_entry in by_id
        and by_id[e.reverses_entry].operation == operation
    ]


def report_lines(found: Totals, currency: str, locale: str = "en_US") -> tuple[Line, ...]:
    lines = []
    for op in ORDER:
        lines.append(
            Line(
                f"{TRANSACTION_PLURAL[op]} ({found.counts.get(op, 0)})",  # "Redemptions (3)"
                format_money(found.totals.get(op, 0), currency, locale),
            )
        )
        # An item gift's movements below their kind's money: counted apart, as items.
        for item in (i for i in found.items if i.operation == op):
            lines.append(
                Line(f"{ITEMS_PLURAL[op]} ({item.entries})", items(item.quantity, item.label))
            )
    lines.append(Line(_("Net on cards"), format_money(net(found), currency, locale), bold=True))
    lines.append(
        Line(_("Cash paid out"), format_money(found.cash_paid_out, currency, locale), bold=True)
    )
    taken = format_money(found.taken_in, currency, locale)
    lines.append(Line(_("Taken in for cards sold"), taken, bold=True))
    if found.to_settle:
        lines.append(Line(_("Not confirmed yet"), str(found.to_settle), bold=True))
    lines.append(Line(_("Declined or not sent"), str(found.declined)))
    return tuple(lines)


def net(found: Totals) -> int:
    """The change in what the store's cards hold over the shift (see NET_MEANS)."""
    return sum(SIGN[op] * found.totals.get(op, 0) for op in ORDER)


# Reconciliation asks from a moment before the first transaction it looks at, so that a
# time said to the microsecond and read back is not a hair too late for it.
SINCE_MARGIN_S = 1.0


def provider_since(entries: Iterable[Entry], earlier: float | None) -> float | None:
    """Where reconciliation asks the provider from, by the provider's own clock (issue 18:
    a till 2 h off asked by its own and reported differences that were not there): the
    last transaction journalled before the shift (`earlier`), else the shift's first one
    the provider confirmed; None when the provider has said no time for either."""
    if earlier is None:
        times = [e.provider_at for e in entries if e.provider_at is not None]
        earlier = min(times) if times else None
    return None if earlier is None else earlier - SINCE_MARGIN_S


def reconcile(
    entries: Iterable[Entry],
    provider: Iterable[Transaction],
    *,
    elsewhere: Collection[str] = frozenset(),
    since: datetime | None = None,
) -> list[str]:
    """Every mismatch between the shift's journal and the provider's transactions, in words.

    The terminal's location is learned from the provider's copies of its own transactions;
    the provider's transactions at that location which the journal does not know are listed
    (`elsewhere`: those another shift's entries have), a manager's adjustments among them
    (issue 19.2: a balance changed from the back office, or by a till that did not journal
    it, showed "The journal and the provider agree"). A manager change of the journal is
    found by its key, which the provider keeps as the adjustment's client reference.
    `since` is where the provider was asked from, said in each such line with what to do
    (the demo trial: "is not in the journal" named no period and gave no advice).
    """
    theirs = {t.id: t for t in provider}
    by_reference = {t.client_reference: t for t in theirs.values() if t.client_reference}
    problems = []
    ours: set[str] = set()
    locations: set[str] = set()
    for entry in entries:
        who = {"id": entry.id, "what": transaction(entry.operation), "card": shown(entry.code)}
        named = _("Entry {id} ({what}, card {card})").format(**who)
        if entry.sale_id is not None:  # a sale paid card by card's (issue 23)
            named = _("Entry {id} ({what}, card {card}, sale {sale})").format(
                sale=entry.sale_id, **who
            )
        if entry.to_settle and entry.answer is not None:  # core/answer.py: not believed
            problems.append(
                _("{entry} is not confirmed yet. {why} The provider answered: {answer}").format(
                    entry=named, why=entry.error, answer=for_the_manager(entry.answer)
                )
            )
            continue
        if entry.to_settle:
            problems.append(_("{entry} is not confirmed yet").format(entry=named))
            continue
        if entry.answer is not None:
            problems.append(
                _(
                    "{entry}: the provider's first answer did not add up; it was settled since "
                    "from the provider's own record. It had answered: {answer}"
                ).format(entry=named, answer=for_the_manager(entry.answer))
            )
        if not entry.moved_money:
            continue
        found: Transaction | None
        if entry.operation in CHANGES and entry.transaction_id is None:
            match = by_reference.get(entry.idempotency_key)
            if match is None and entry.amount:  # a change that moved money has its adjustment
                problems.append(
                    _("{entry} moved {amount}; the provider lists no adjustment for it").format(
                        entry=named, amount=_how_much(entry.amount, None, entry.currency)
                    )
                )
            if match is None:
                continue
            ours.add(match.id)
            found = match
        elif entry.transaction_id is None:
            continue
        else:
            ours.add(entry.transaction_id)
            found = theirs.get(entry.transaction_id)
        if found is None:
            problems.append(
                _(
                    "Entry {id} ({what}) has transaction {transaction}, which the provider "
                    "does not list"
                ).format(
                    id=entry.id,
                    what=transaction(entry.operation),
                    transaction=entry.transaction_id,
                )
            )
            continue
        locations.add(found.location_id)
        expected = PROVIDER_TYPE.get(entry.operation, entry.operation)
        if entry.operation == "cash_out" and found.type == "redemption":
            expected = "redemption"  # cash-out by redemption (config.md provider.cash_out)
        if entry.operation == "issue" and found.type == "activation":
            expected = "activation"  # one ACTIVATE for cards sold and issued (Square)
        # A provider that does not say how much moved (Square's CLEAR_BALANCE) is not a
        # mismatch of amounts: its type and id still are checked.
        said = found.amount or found.quantity
        if found.type != expected or (
            said is not None and said != (entry.amount or entry.quantity)
        ):
            problems.append(
                _(
                    "Entry {id}: the journal says {what} {amount}, the provider {their_what} "
                    "{their_amount}"
                ).format(
                    id=entry.id,
                    what=transaction(entry.operation),
                    amount=_how_much(entry.amount, entry.quantity, entry.currency),
                    their_what=transaction(found.type),
                    their_amount=_how_much(found.amount, found.quantity, found.currency),
                )
            )
    for txn in theirs.values():
        if txn.id not in ours and txn.id not in elsewhere and txn.location_id in locations:
            # Said in the till's own time zone, as its reports are.
            problems.append(_elsewhere(txn, _unlisted(txn, theirs.values()), since))
    return problems


def _elsewhere(txn: Transaction, moved: str, since: datetime | None) -> str:
    """A provider's transaction no shift of this till journalled, said in the till's own
    time zone, as its reports are."""
    said = {
        "id": txn.id,
        "what": transaction(txn.type),
        "amount": moved,
        "at": _moment(txn.created_at),
    }
    if since is None:
        return _(
            "Provider transaction {id} ({what} {amount}, {at}) is not in the journal of any "
            "shift of this till: it was made elsewhere (the back office, another till). Ask "
            "who made it; if nobody did, look the card up in Gift cards (F12) and set it "
            "right, with the reason."
        ).format(**said)
    since_at = _moment(since)
    return _(
        "Provider transaction {id} ({what} {amount}, {at}) is not in the journal of any "
        "shift of this till (asked from {since}): it was made elsewhere (the back office, "
        "another till). Ask who made it; if nobody did, look the card up in Gift cards (F12) "
        "and set it right, with the reason."
    ).format(since=since_at, **said)


def _moment(when: datetime) -> str:
    """ "5 Dec 14:02" in the till's time zone; another language's date as Babel says it."""
    local = when.astimezone()
    return f"{local:%-d %b %H:%M}" if language() == "en" else f"{day(local)} {local:%H:%M}"


def _unlisted(txn: Transaction, listed: Iterable[Transaction]) -> str:
    """How much a transaction no journal has moved; an adjustment's amount is always
    positive at the provider (api.md "The transaction object"), so its sign comes from the
    card's balance before it, the one its previous listed transaction left: "-$5.00"."""
    if txn.type != "adjustment" or txn.amount is None or txn.balance_after is None:
        return _how_much(txn.amount, txn.quantity, txn.currency)
    earlier = [
        t.balance_after
        for t in sorted(listed, key=lambda t: t.created_at)
        if t.gift_id == txn.gift_id
        and t.created_at < txn.created_at
        and t.balance_after is not None
    ]
    if earlier:
        before = earlier[-1]
    elif txn.balance_after < txn.amount:  # nothing before: only a decrease ends below it
        before = txn.balance_after + txn.amount
    else:
        after = format_money(txn.balance_after, txn.currency)
        return _("{amount}, leaving the card at {after}").format(
            amount=format_money(txn.amount, txn.currency), after=after
        )
    return signed(txn.balance_after - before, txn.currency, "en_US")


def _how_much(amount: int | None, quantity: int | None, currency: str) -> str:
    if amount is not None:
        return format_money(amount, currency)
    return count(quantity or 0, _("item"))
