"""Cash-out laws (issue 25.3): where a law makes the store pay a small gift card balance in
cash when the holder asks, and from which day to which. Pure: the store's jurisdiction
(`[store] jurisdiction`, ISO 3166-2 such as "US-CA") and the day come in, the law out.

Each row cites its statute (the comment above it: the wording it rests on, and what the till
cannot check, such as "after a purchase" or "in person"); the research behind the table and
its sources are in docs/cash-out-law.md. A row whose first day was not found has
`since=None`: in force on any day a till sees. The table is not legal advice: a store checks
its own state's code; a law changed is a new row with its dates, the old row closed.

What the till does not know is not asked: whether the card was bought or given as a promotion,
reloadable or not, its first value, or whether it was just used for a purchase. So the till
says the customer *may* ask, and offers it; the cashier and the store decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from posapp.core.entry import Entry
from posapp.core.gift import Gift
from posapp.i18n import N_, _

Rule = Literal["lt", "le"]  # the balance is less than the threshold, or at most the threshold

# Words a cashier reads, translated where shown (posapp/i18n.py); the statute's name is not.
# i18n: {statute} is a law's name, such as "California Civil Code 1749.5"
PANEL_WORDS = N_("The customer may ask for this balance in cash ({statute})")
# i18n: on the confirm of a cash-out; {statute} is a law's name
CONFIRM_WORDS = N_("Required by {statute} when the customer asks for a balance this small in cash")
# i18n: on the cash-out receipt; {statute} is a law's name
RECEIPT_WORDS = N_("Cash-out required by {statute}")


@dataclass(frozen=True, slots=True)
class CashOutLaw:
    """One law in force for a span of days: a balance under `threshold` (minor units of
    `currency`; `rule` "le": at most it) is paid in cash on the holder's request."""

    jurisdiction: str
    threshold: int
    rule: Rule
    since: date | None  # its first day; None: not found, in force on any day a till sees
    until: date | None  # its last day; None: in force still
    statute: str  # as the panel, the confirm and the receipt name it (ASCII)
    currency: str = "USD"

    def in_force(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on <= self.until)

    def covers(self, balance: int) -> bool:
        if balance <= 0:  # nothing to pay out
            return False
        return balance < self.threshold if self.rule == "lt" else balance <= self.threshold


LAWS: tuple[CashOutLaw, ...] = (
    # Cal. Civ. Code 1749.5(b)(2), added by SB 250 (Stats. 2007 ch. 640), in force
    # 2008-01-01: "any gift certificate with a cash value of less than ten dollars ($10) is
    # redeemable in cash for its cash value".
    CashOutLaw(
        "US-CA", 1000, "lt", date(2008, 1, 1), date(2026, 3, 31), "California Civil Code 1749.5"
    ),
    # The same paragraph as amended by SB 22 (2025, Laird; Stats. 2025 ch. 207, approved
    # 2025-10-01), operative 2026-04-01: "less than fifteen dollars ($15)".
    CashOutLaw("US-CA", 1500, "lt", date(2026, 4, 1), None, "California Civil Code 1749.5"),
    # C.R.S. 6-1-722(2) (SB 10-155, L. 2010 ch. 180): "On and after August 11, 2010, the
    # issuer shall redeem the remaining value of a gift card for cash if the amount remaining
    # is five dollars or less on request of the holder."
    CashOutLaw("US-CO", 500, "le", date(2010, 8, 11), None, "Colorado Revised Statutes 6-1-722"),
    # C.G.S. 42-461(c) (PA 16-140, in force 2016-10-01): "the balance on the gift card is
    # less than three dollars after such purchase": after a purchase, with the proof of
    # purchase or gift receipt.
    CashOutLaw(
        "US-CT",
        300,
        "lt",
        date(2016, 10, 1),
        date(2023, 9, 30),
        "Connecticut General Statutes 42-461",
    ),
    # The same subsection as amended by PA 23-10 (SB 1018), in force 2023-10-01: less than
    # five dollars after a purchase, no receipt asked (the amended text not seen: a bill
    # tracker and the Senate's release).
    CashOutLaw("US-CT", 500, "lt", date(2023, 10, 1), None, "Connecticut General Statutes 42-461"),
    # 33 M.R.S. 1953(1)(G) (PL 2007 ch. 696; 2011 ch. 433 made it (G)(5)): "Beginning
    # November 1, 2008, if the gift obligation or stored-value card is redeemed in person and
    # a balance of less than $5 remains following redemption ... must refund the balance in
    # cash"; not for a card first worth $5 or less.
    CashOutLaw(
        "US-ME",
        500,
        "lt",
        date(2008, 11, 1),
        date(2019, 9, 30),
        "Maine Revised Statutes title 33, 1953",
    ),
    # 33 M.R.S. 2066(4), the Revised Unclaimed Property Act (PL 2019 ch. 498, in force
    # 2019-10-01): "a balance of less than $5 remains following redemption", in person.
    CashOutLaw(
        "US-ME", 500, "lt", date(2019, 10, 1), None, "Maine Revised Statutes title 33, 2066"
    ),
    # M.G.L. c. 200A 5D as amended by St. 2008 c. 58 (its first day not found): a reloadable
    # card "redeemed in part, such that the value remaining is $5.00 or less". A card that
    # cannot be reloaded is cashed once 90 % of its face value is spent: the till does not
    # know the face value, so that rule is not here.
    CashOutLaw("US-MA", 500, "le", None, None, "Massachusetts General Laws c. 200A, 5D"),
    # MCA 30-14-108(4) (in force by 2008, first day not found): "If the original value of the
    # gift certificate was more than $5 and the remaining value is less than $5".
    CashOutLaw("US-MT", 500, "lt", None, None, "Montana Code 30-14-108"),
    # N.J.S.A. 46:30B-42.1 (S1928, signed 2012-06-29): "Beginning September 1, 2012 if a
    # stored value card is redeemed and a balance of less than $5 remains on the card".
    CashOutLaw("US-NJ", 500, "lt", date(2012, 9, 1), None, "New Jersey Statutes 46:30B-42.1"),
    # ORS 646A.276(1)(d) (SB 756, Or. Laws 2011 ch. 336, in force 2012-01-01): "when the face
    # value of the card has declined to an amount less than $5 and the card has been used for
    # at least one purchase".
    CashOutLaw("US-OR", 500, "lt", date(2012, 1, 1), None, "Oregon Revised Statutes 646A.276"),
    # R.I. Gen. Laws 6-13-12 (unconfirmed: bill summaries): the unused portion of a redeemed
    # certificate is reissued, or paid in cash if under $1.00.
    CashOutLaw("US-RI", 100, "lt", None, None, "Rhode Island General Laws 6-13-12"),
    # Tex. Bus. & Com. Code 604.152 (HB 2391, Acts 2015 ch. 655, eff. 2015-09-01): "If a
    # stored value card is redeemed in person to make a purchase and a balance of less than
    # $2.50 remains".
    CashOutLaw(
        "US-TX", 250, "lt", date(2015, 9, 1), None, "Texas Business and Commerce Code 604.152"
    ),
    # 8 V.S.A. 2704 (2005 Act No. 39; its first day not found): "If the remaining value on a
    # gift certificate is less than $1.00, the certificate or card is redeemable in cash upon
    # demand" (the act's summary).
    CashOutLaw("US-VT", 100, "lt", None, None, "Vermont Statutes title 8, 2704"),
    # RCW 19.240.020(3) (2004 c 168 s 3; 2019 c 376 kept the figure): "If after the purchase
    # the remaining value of the gift certificate is less than five dollars, the gift
    # certificate must be redeemable in cash" (the 2004 first day not found).
    CashOutLaw("US-WA", 500, "lt", None, None, "Revised Code of Washington 19.240.020"),
    # Puerto Rico Act No. 31-2015, the Gift Card Act (S.B. 371, approved 2015-03-19;
    # unconfirmed: the enacted article was not seen). The House's amended bill reads "que no
    # exceda los $5" (at most $5), so "le", the reading that leaves no holder out.
    CashOutLaw("US-PR", 500, "le", None, None, "Puerto Rico Gift Card Act (Act 31-2015)"),
)

# ISO 3166-2:US: the states, DC and the territories. A store in one of them with no row
# above sets its code all the same (no law applies); a code outside is refused.
STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR UM VI"
)
JURISDICTIONS = frozenset(f"US-{state}" for state in STATES.split())
WITH_LAW = tuple(sorted({law.jurisdiction for law in LAWS}))


def entitling_law(jurisdiction: str, balance: int, currency: str, on: date) -> CashOutLaw | None:
    """The law that entitles the holder of a card holding `balance` (minor units of
    `currency`) to it in cash on the day `on`, in the store's `jurisdiction`; None: none."""
    for law in LAWS:
        if (
            law.jurisdiction == jurisdiction
            and law.currency == currency
            and law.in_force(on)
            and law.covers(balance)
        ):
            return law
    return None


@dataclass(frozen=True, slots=True)
class StoreLaw:
    """The store's jurisdiction and its day: the till asks it of the card on screen. The day
    comes from the composition root's clock (core reads none): the store's local date, so a
    card left on screen past midnight of a change reads the new law."""

    jurisdiction: str = ""
    today: Callable[[], date] = field(default=lambda: date.min, compare=False)

    def for_card(self, gift: Gift | None) -> CashOutLaw | None:
        """The law that entitles this card's holder to its balance in cash today; None for
        no law, or a card that cannot pay (the cash-out would be refused anyway)."""
        if gift is None or not self.jurisdiction or gift.kind != "monetary":
            return None
        if not gift.is_redeemable or gift.cashed_out:
            return None
        return entitling_law(self.jurisdiction, gift.eligible_value, gift.currency, self.today())


NO_LAW = StoreLaw()  # no jurisdiction set


def panel_words(law: CashOutLaw) -> str:
    return _(PANEL_WORDS).format(statute=law.statute)


def confirm_words(statute: str) -> str:
    return _(CONFIRM_WORDS).format(statute=statute)


def receipt_notes(entry: Entry) -> tuple[str, ...]:
    """A cash-out made because a law requires it says so on its receipt (and its reprint):
    the statute is journalled with the intent, as its `reason`."""
    statute = entry.intent.reason if entry.operation == "cash_out" else None
    return (_(RECEIPT_WORDS).format(statute=statute),) if statute else ()


def jurisdiction_problem(code: str) -> str | None:
    """`[store] jurisdiction`'s check: empty (no law) or a code of JURISDICTIONS."""
    if code == "" or code in JURISDICTIONS:
        return None
    return _(
        "{code} is not a jurisdiction posapp knows: write US- and the state's two letters "
        "(US-CA), or leave it empty for none. Those with a cash-out law: {known}"
    ).format(code=repr(code[:20]), known=", ".join(WITH_LAW))
