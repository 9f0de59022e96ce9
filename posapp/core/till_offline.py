"""The till's steps while it sells offline (issue 24): pure, functions of the till's state
(core/till_state.py), dispatched from core/till.py and core/actions.py.

- A scan the provider could not be asked about (`CardSeen`) shows the card as last seen
  online, when core/offline.py's rules let it pay offline; else says why not, with no card.
- On that card F2 and F3 redeem offline within the rules: the amount is bounded as it is
  typed by the least of its last known balance, the floor and what the shift may still take
  (core/offline.offline_offer), and the card's age is said on Enter; the confirm names it ("OFFLINE: redeem $12.50 from ••0001, to be confirmed").
- Every other key that needs the provider says why not now: only redemptions offline.
- Off (the default, or turned off for the shift): nothing here acts; the till is as before.
"""

from __future__ import annotations

from posapp.core import till_words
from posapp.core.keypad import AmountEntry, Refused
from posapp.core.money import format_money
from posapp.core.offline import OfflineRules, offline_offer, offline_refusal
from posapp.core.offline_card import BACK, ONLY_REDEMPTIONS, OfflineTill, Seen, seen_gift
from posapp.core.serial_number import short
from posapp.core.till_events import ActionName, CardSeen, Effect, OfflineKnown, Sound
from posapp.core.till_request import RedeemOffline, Request
from posapp.core.till_state import TillState
from posapp.core.till_words import sentences
from posapp.i18n import N_, _

# The keys that need the provider: refused in words while it cannot be reached and the till
# sells offline. Reprint, the reports and the manager menu need no provider.
NEEDS_PROVIDER: frozenset[ActionName] = frozenset(
    {"balance", "sell", "refund", "reverse", "cash_out"}
)
SHOWN = N_(
    "The gift card provider cannot be reached: F2 or F3 takes this card offline, to be "
    "confirmed when the provider answers again"
)
# Only the keys that work (trial 6B, 7: "F2 or F3" while F3 was greyed, the card above
# the floor).
SHOWN_F2 = N_(
    "The gift card provider cannot be reached: F2 takes up to {amount} from this card "
    "offline, to be confirmed when the provider answers again"
)
SHOWN_NONE = N_(
    "The gift card provider cannot be reached and this card cannot pay offline now: take "
    "another payment"
)

SCAN_AGAIN = N_(
    "The gift card provider cannot be reached: scan the card again to take it offline, "
    "from its last known balance"
)


def selling(rules: OfflineRules) -> OfflineTill:
    """The till's offline selling under the store's [offline] rules (the window's Till)."""
    return OfflineTill(rules)


def went_offline(till: TillState) -> list[Effect]:
    """The status watch did not reach the provider: the card on screen (if any) was read
    before, and is scanned again to be taken offline (a card read since is not)."""
    till.selling_offline.read_before = till.card
    return []


def handle(till: TillState, event: CardSeen | OfflineKnown) -> list[Effect]:
    match event:
        case CardSeen():
            return card_seen(till, event)
        case OfflineKnown(taken, off):
            known(till, taken, off)
            return []


def known(till: TillState, taken: int, off_for_shift: bool) -> None:
    selling = till.selling_offline
    selling.taken, selling.off_for_shift = taken, off_for_shift


def card_seen(till: TillState, event: CardSeen) -> list[Effect]:
    """A scan the provider could not be asked about: the card as last seen online, or why it
    cannot pay offline (said as a failed check is: no card on screen)."""
    if event.request != till.checking:
        return []  # a scan that another one replaced
    till.checking = None
    till.offline = True  # the scan's check found it so, before the status watch
    known(till, event.taken, event.off_for_shift)
    selling, last = till.selling_offline, event.last
    refused = till.offers.refusal("redemption") or (
        None
        if last is not None and last.balance == 0  # shown: nothing left on it, as last seen
        else offline_refusal(
            selling.rules,
            last,
            1,  # the smallest amount: what refuses it refuses the card
            selling.taken,
            event.now,
            till.locale,
            off_for_shift=selling.off_for_shift,
            code=event.code,
            currency=till.currency or None,
        )
    )
    if refused is not None or last is None:
        till.card, till.phase = None, "idle"
        # The rules' words say the provider cannot be reached, and what to do.
        said = refused or till_words.refused(event.words, short(event.code))
        till.message, till.tone = sentences(till.dropped, said), "bad"
        till.dropped = ""
        return [Sound("bad"), *till._deliver()]
    gift = seen_gift(last)
    selling.seen = Seen(gift, last, event.now)
    till.card, till.phase = gift, "card"
    till.message, till.tone = sentences(till.dropped, shown_words(till, selling.seen)), "warn"
    till.dropped = ""
    return [Sound("good"), *till._deliver()]


def shown_words(till: TillState, seen: Seen) -> str:
    """What a card shown as last seen online may do: the keys that work now, and no other."""
    selling = till.selling_offline
    can = offline_offer(selling.rules, seen.last, selling.taken)
    if can <= 0:
        return _(SHOWN_NONE)
    if refuses(till, "use_all"):
        return _(SHOWN_F2).format(amount=_money(till, seen, can))
    return _(SHOWN)


def action(till: TillState, name: ActionName) -> list[Effect] | None:
    """An action key while the till sells offline; None: not this module's (the till's own
    steps run, as when online)."""
    selling = till.selling_offline
    seen = selling.seen_card(till.card)
    if seen is None and not (till.offline and selling.on):
        return None
    if seen is not None and name == "use_all" and till.phase == "entering":
        return use_all(till, seen) if till.purpose == "redeem" else None
    if till.phase not in ("idle", "card"):
        return None  # "Wait", or "finish this first": the till's own words
    if name in NEEDS_PROVIDER and refuses(till, name):
        return till._refuse(_(ONLY_REDEMPTIONS))
    # A card read before the provider went: its redemption would not be sent. Scanned
    # again, it shows as last seen online and may be taken offline.
    read_before = till.card is not None and till.card is selling.read_before
    if seen is None and name in ("redeem", "use_all") and read_before:
        return None if till.offers.refusal("redemption") else till._refuse(_(SCAN_AGAIN))
    if seen is None or name not in ("redeem", "use_all") or not seen.gift.is_redeemable:
        return None
    if till.offers.refusal("redemption"):
        return None
    if name == "use_all":
        return use_all(till, seen)
    till._close_overlay()
    till.phase, till.purpose = "entering", "redeem"
    # Bounded as typed by every limit, as online by the card's balance (trial 6B, 4).
    can = offline_offer(selling.rules, seen.last, selling.taken)
    till.entry = AmountEntry(seen.last.currency, can, till.locale, ceiling="offline")
    till.message = ""
    return []


def refuses(till: TillState, name: ActionName) -> bool:
    """The key needs the provider, and the till sells offline now: refused in words (its
    button is greyed)."""
    selling = till.selling_offline
    seen = selling.seen_card(till.card)
    if name == "use_all":  # the whole last known balance, when the rules let it be taken
        return seen is not None and _refusal(till, seen, seen.last.balance) is not None
    if name not in NEEDS_PROVIDER:
        return False
    return seen is not None or (till.offline and selling.on)


def allows(till: TillState, name: ActionName, enabled: bool) -> bool:
    """An action's button is on: enabled by the action table, and not refused offline."""
    return enabled and not refuses(till, name)


def use_all(till: TillState, seen: Seen) -> list[Effect]:
    """F3 offline: the card's last known balance, when the rules let it all be taken."""
    balance = seen.last.balance
    if refused := _refusal(till, seen, balance):
        selling = till.selling_offline
        can = offline_offer(selling.rules, seen.last, selling.taken)
        if can > 0:
            most = _("F2 takes up to {amount}").format(amount=_money(till, seen, can))
            refused = sentences(refused, most)
        return till._refuse(refused)
    till._close_overlay()
    return till._ask(_request(till, seen, balance))


def redeem_entered(till: TillState, seen: Seen, minor: int) -> list[Effect]:
    """Enter on F2's amount: refused in the field (BackSpace first) when over a rule, else
    the confirm that names it offline."""
    assert till.entry is not None
    if refused := _refusal(till, seen, minor):
        till.entry = till.entry.refuse(Refused(refused, minor))
        return till._refuse(till.entry.fix_first())
    return till._ask(_request(till, seen, minor))


def back(till: TillState) -> str:
    """The provider answers again: a card shown as last seen online goes (its balance is
    to be read again); the words to say, or ""."""
    if till.phase != "card" or till.selling_offline.seen_card(till.card) is None:
        return ""
    till.card, till.phase, till.message = None, "idle", ""
    till.selling_offline.seen = None
    return _(BACK)


def _refusal(till: TillState, seen: Seen, amount: int) -> str | None:
    selling = till.selling_offline
    return offline_refusal(
        selling.rules,
        seen.last,
        amount,
        selling.taken,
        seen.at,
        till.locale,
        off_for_shift=selling.off_for_shift,
        currency=till.currency or None,
    )


def _request(till: TillState, seen: Seen, amount: int) -> Request:
    words = _("OFFLINE: redeem {amount} from {card}, to be confirmed").format(
        amount=_money(till, seen, amount), card=short(seen.last.code)
    )
    return Request(RedeemOffline(seen.gift, seen.last, amount), words)


def _money(till: TillState, seen: Seen, minor: int) -> str:
    return format_money(minor, seen.last.currency, till.locale)
