"""The till selling offline (issue 24): a scan the provider could not be asked about shows
the card as last seen online, F2 and F3 redeem within the store's rules and the confirm names
it offline, every other key that needs the provider says why not; off, nothing changes.
Then the invariants over random event sequences: no offline redemption above the floor, the
shift's limit or the card's last known balance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from posapp.core import offline
from posapp.core import till_offline as offline_steps
from posapp.core.offline import LastKnown, OfflineRules
from posapp.core.offline_card import BACK, BADGE, OfflineTill
from posapp.core.till import Till
from posapp.core.till_events import (
    ActionKey,
    ActionName,
    AmountKey,
    Answered,
    CardSeen,
    Check,
    Confirm,
    Effect,
    Move,
    OfflineKnown,
    ProviderBack,
    ProviderOffline,
    Scan,
    Sound,
    TillEvent,
)
from posapp.core.till_request import RedeemOffline, Result
from tests.core.test_till import TillMachine, only_move, shown, till

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
CODE = "500000000000001"
RULES = OfflineRules(floor=2500, shift_limit=10000, card_seen_days=30)
WHY = "The gift card provider cannot be reached: check the network, then try again"


def last(balance: int = 4000, days: int = 3, code: str = CODE) -> LastKnown:
    return LastKnown(code, balance, "USD", NOW - timedelta(days=days))


def selling(rules: OfflineRules = RULES, **kw: object) -> Till:
    t = till(**kw)
    t.selling_offline = OfflineTill(rules)
    return t


def seen(
    t: Till, known: LastKnown | None, *, taken: int = 0, off: bool = False, code: str = CODE
) -> list[Effect]:
    (check,) = t.scan(f"SVS_GC-{code}", now=100.0)
    assert isinstance(check, Check)
    return t.handle(CardSeen(check.request, code, known, NOW, WHY, taken, off))


def typed(t: Till, keys: str) -> None:
    for key in keys:
        t.amount_key(key)


def test_a_card_the_provider_cannot_be_asked_about_shows_as_last_seen_online() -> None:
    t = selling()
    assert seen(t, last()) == [Sound("good")]
    assert t.phase == "card"
    assert t.card is not None
    assert t.offline  # said by the scan, before the status watch
    view = t.view
    assert view is not None
    assert (view.amount, view.badge, view.badge_tone) == ("$40.00", BADGE, "warn")
    lines = view.details.splitlines()
    assert lines[0] == "Last seen online 3 days ago: $40.00"
    assert lines[1] == "It may pay up to $25.00 offline"
    assert "F2 takes up to $25.00 from this card offline" in t.message  # F3 is greyed


def test_the_panel_says_only_the_keys_that_work() -> None:
    t = selling()
    seen(t, last(6000))  # above the floor: F3 (all of it) is greyed
    assert offline_steps.refuses(t, "use_all")
    assert "F3" not in t.message
    assert "F2 takes up to $25.00 from this card offline" in t.message
    t2 = selling()
    seen(t2, last(2000))  # within every rule: both keys
    assert "F2 or F3 takes this card offline" in t2.message


def test_f2_redeems_offline_and_the_confirm_names_it() -> None:
    t = selling()
    seen(t, last())
    card = t.card
    assert t.action("redeem") == []
    assert t.phase == "entering"
    typed(t, "12.5")
    assert t.confirm() == []  # the confirm, not a call yet
    assert t.pending is not None
    assert t.pending.words == "OFFLINE: redeem $12.50 from ••0001, to be confirmed"
    move = only_move(t.confirm())
    assert move.request.job == RedeemOffline(card, last(), 1250)  # type: ignore[arg-type]
    assert t.message == "OFFLINE: redeem $12.50 from ••0001, to be confirmed…"
    assert t.selling_offline.taken == 1250  # counted in the shift's total from the start
    t.answered(move.request.id, Result("Taken offline", "warn", clears_card=True, moved=True))
    assert (t.phase, t.card) == ("idle", None)  # its balance is read again on the next scan


def test_f2_refuses_over_the_floor_as_typed_and_says_it() -> None:
    # Trial 6B, 4: OK lit on $30.00 above the $25.00 floor and refused only at Enter; online
    # an amount over the card is refused as typed: offline the same, at the least limit.
    t = selling()
    seen(t, last(6000))
    t.action("redeem")
    assert t.entry is not None
    assert t.entry.limit == 2500  # the overlay's "at most $25.00", not the card's $60.00
    typed(t, "30.")
    assert t.entry.doubt
    assert t.message.startswith(
        "Offline, this card may pay at most $25.00 now; $30.00 is more than that: take the "
        "rest another way"
    )
    assert t.confirm() == [Sound("bad")]  # Enter waits for BackSpace
    assert t.pending is None
    t.amount_key("BackSpace")
    typed(t, "25.")
    t.confirm()
    assert t.phase == "confirming"


def test_f2_refuses_over_the_last_known_balance_as_typed() -> None:
    t = selling()
    seen(t, last(2000))
    t.action("redeem")
    typed(t, "21.")
    assert t.entry is not None
    assert t.entry.doubt
    assert "at most $20.00 now" in t.message


def test_the_shift_limit_refuses_as_typed() -> None:
    t = selling()
    seen(t, last(), taken=9000)
    t.action("redeem")
    assert t.entry is not None
    assert t.entry.limit == 1000  # what the shift may still take
    typed(t, "15.")
    assert "at most $10.00 now; $15.00 is more than that" in t.message
    t.amount_key("BackSpace")
    typed(t, "10.")
    t.confirm()
    assert t.phase == "confirming"


def test_f3_takes_the_last_known_balance_when_the_rules_allow_it_else_says_f2() -> None:
    t = selling()
    seen(t, last(2000))
    t.action("use_all")
    assert t.pending is not None
    assert t.pending.words == "OFFLINE: redeem $20.00 from ••0001, to be confirmed"
    t.cancel()
    t2 = selling()
    seen(t2, last(4000))
    assert offline_steps.refuses(t2, "use_all")  # greyed
    assert t2.action("use_all") == [Sound("bad")]
    assert t2.message.endswith("F2 takes up to $25.00.")
    assert t2.phase == "card"


def test_all_on_the_amount_overlay_is_offline_too() -> None:
    t = selling()
    seen(t, last(2000))
    t.action("redeem")
    t.action("use_all")  # "All (F3)" on the amount overlay
    assert t.pending is not None
    assert isinstance(t.pending.job, RedeemOffline)


@pytest.mark.parametrize(
    ("known", "kw", "words"),
    [
        (None, {}, offline.NEVER_SEEN.format(card="••0001")),
        (last(days=31), {}, "only cards seen in the last 30 days"),
        (last(), {"off": True}, offline.OFF_FOR_SHIFT),
        (last(), {"taken": 10000}, "it is all taken"),
    ],
)
def test_a_card_that_cannot_pay_offline_is_said_with_no_card(
    known: LastKnown | None, kw: dict[str, object], words: str
) -> None:
    t = selling()
    assert seen(t, known, **kw) == [Sound("bad")]  # type: ignore[arg-type]
    assert (t.phase, t.card) == ("idle", None)
    assert words in t.message
    assert t.tone == "bad"


@pytest.mark.parametrize("name", ["balance", "sell", "refund", "reverse", "cash_out"])
def test_every_other_key_says_only_redemptions_offline(name: str) -> None:
    t = selling()
    seen(t, last())
    assert t.action(name) == [Sound("bad")]  # type: ignore[arg-type]
    assert "offline, only redemptions can be taken" in t.message
    assert t.phase == "card"
    # No card on screen: the status watch said the provider cannot be reached.
    t2 = selling()
    t2.handle(ProviderOffline())
    assert t2.action(name) == [Sound("bad")]  # type: ignore[arg-type]
    assert "offline, only redemptions can be taken" in t2.message


def test_reports_reprint_and_the_manager_menu_need_no_provider() -> None:
    t = selling()
    seen(t, last())
    t.action("reports")
    assert (t.phase, t.screen) == ("screen", "reports")
    t.cancel()
    t.action("manager")
    assert t.phase == "confirming"  # its PIN


def test_off_nothing_changes() -> None:
    """Off (the default): the provider down, F5 goes on as before (and is said not sent by
    its call); a CardSeen that came anyway shows no card."""
    t = till()
    t.handle(ProviderOffline())
    assert t.action("sell") == []
    assert t.phase == "entering"
    t.cancel()
    assert seen(t, last()) == [Sound("bad")]
    assert t.card is None
    assert offline.OFF in t.message


def test_turned_off_for_the_shift_the_keys_are_as_before() -> None:
    t = selling()
    t.handle(OfflineKnown(0, True))
    t.handle(ProviderOffline())
    assert t.action("sell") == []
    assert t.phase == "entering"


def test_the_provider_back_takes_the_card_seen_offline_away() -> None:
    t = selling()
    seen(t, last())
    effects = t.handle(ProviderBack())
    assert (t.phase, t.card) == ("idle", None)
    assert t.message == BACK
    assert Sound("good") in effects
    assert not t.offline


def test_an_online_card_is_not_taken_offline() -> None:
    t = selling()
    shown(t, CODE)
    t.action("redeem")
    typed(t, "1")
    move = only_move(t.confirm())
    assert not isinstance(move.request.job, RedeemOffline)


@pytest.mark.parametrize("name", ["redeem", "use_all"])
def test_a_card_read_before_the_provider_went_is_scanned_again_first(name: str) -> None:
    """Its redemption would not be sent ("Not sent"): the till says to scan it again."""
    t = selling()
    shown(t, CODE)
    t.handle(ProviderOffline())
    assert t.action(name) == [Sound("bad")]  # type: ignore[arg-type]
    assert "scan the card again to take it offline" in t.message
    assert t.phase == "card"
    t.handle(ProviderBack())  # answering again: as online
    t.action(name)  # type: ignore[arg-type]
    assert t.phase in ("entering", "confirming")
    t.cancel()
    t.handle(ProviderOffline())
    t.cancel()
    shown(t, "500000000000002")  # read since: the provider answered it
    t.action(name)  # type: ignore[arg-type]
    assert t.phase in ("entering", "confirming")


# --- invariants over random sequences --------------------------------------------------------


class OfflineTillMachine(TillMachine):
    """The till's machine (tests/core/test_till.py) with the provider unreachable at times:
    scans answered with the card as last seen online, and the terminal's figures said."""

    @initialize()
    def start(self) -> None:
        super().start()
        self.till.selling_offline = OfflineTill(RULES)
        self.offline_taken = 0  # what the terminal journalled offline this shift
        self.given: list[LastKnown] = []  # every card as last seen the terminal said

    def _run(self, effects: list[Effect]) -> list[Effect]:
        for effect in effects:
            if isinstance(effect, Move) and isinstance(effect.request.job, RedeemOffline):
                job = effect.request.job
                assert job.last in self.given, "not a card as the terminal last saw it"
                assert 0 < job.amount <= RULES.floor, "over the floor"
                assert job.amount <= job.last.balance, "over the card's last known balance"
                assert self.offline_taken + job.amount <= RULES.shift_limit, "over the shift"
                self.offline_taken += job.amount  # journalled before it is printed
        return super()._run(effects)

    @precondition(lambda self: self.moves)
    @rule(pick=st.integers(0, 10), ok=st.booleans(), spent=st.booleans())
    def move_answer(self, pick: int, ok: bool, spent: bool) -> None:
        request_id = sorted(self.moves)[pick % len(self.moves)]
        move = self.moves[request_id]
        card = move.request.card
        if card is None or not card.id.startswith("last-known:"):
            super().move_answer(pick, ok, spent)
            return
        del self.moves[request_id]  # a call on a card seen offline: it is not read again
        waited = self.till.in_flight is not None and self.till.in_flight.id == request_id
        if not isinstance(move.request.job, RedeemOffline):  # F9: the card stays
            self._run(self.till.handle(Answered(request_id, Result("Reprinted"))))
            if waited:
                assert self.till.card is card
            return
        if not ok:  # refused by the terminal: not in its total
            self.offline_taken -= move.request.job.amount
        result = Result("offline", "warn" if ok else "bad", clears_card=ok, moved=ok)
        self._run(self.till.handle(Answered(request_id, result)))
        if waited and ok:
            assert self.till.card is None  # read again on its next scan

    @precondition(lambda self: self.checks)
    @rule(
        pick=st.integers(0, 10),
        balance=st.sampled_from([0, 1, 1500, 2500, 4000]),
        days=st.sampled_from([0, 3, 40]),
        off=st.booleans(),
    )
    def check_unreachable(self, pick: int, balance: int, days: int, off: bool) -> None:
        request, text = self.checks.pop(pick % len(self.checks))
        code = text.removeprefix("SVS_GC-")
        known = last(balance, days, code) if code.isdigit() and len(code) == 15 else None
        if known is not None:
            self.given.append(known)
        event = CardSeen(request, code, known, NOW, WHY, self.offline_taken, off)
        self._run(self.till.handle(event))

    @rule(
        code=st.sampled_from(["500000000000001", "500000000000002"]),
        balance=st.sampled_from([1500, 2500, 4000]),
        days=st.sampled_from([0, 3]),
    )
    def scan_unreachable(self, code: str, balance: int, days: int) -> None:
        """A scan answered at once with the card as last seen online (the likely case)."""
        self.now += 3.0
        busy = self.till.busy
        checks = list(self._run(self.till.handle(Scan(f"SVS_GC-{code}", self.now))))
        if busy or not checks or not isinstance(checks[-1], Check):
            return
        request = checks[-1].request
        self.checks.remove((request, f"SVS_GC-{code}"))
        self.cancelled.pop(request, None)
        known = last(balance, days, code)
        self.given.append(known)
        event = CardSeen(request, code, known, NOW, WHY, self.offline_taken, False)
        self._run(self.till.handle(event))

    @rule(keys=st.sampled_from(["5.", "12.5", "25.", "30.", "40.", "99."]))
    def type_amount(self, keys: str) -> None:
        """A whole amount typed at once: near and past the floor, the card, the shift."""
        for key in ["BackSpace", *keys]:
            self._run(self.till.handle(AmountKey(key)))

    @rule(
        key=st.sampled_from(["redeem", "use_all"]),
        keys=st.sampled_from(["5.", "12.5", "25.", "30.", "40."]),
    )
    def redeem_at_once(self, key: ActionName, keys: str) -> None:
        """F2 (an amount) or F3, then Enter on each overlay: a cashier's usual keys."""
        events: list[TillEvent] = [ActionKey(key)]
        if key == "redeem":
            events += [AmountKey(k) for k in keys]
        for event in [*events, Confirm(), Confirm()]:
            self._run(self.till.handle(event))

    @rule(off=st.booleans())
    def terminal_said(self, off: bool) -> None:
        self._run(self.till.handle(OfflineKnown(self.offline_taken, off)))

    @rule()
    def provider_down(self) -> None:
        self._run(self.till.handle(ProviderOffline()))

    @rule()
    def provider_back(self) -> None:
        self._run(self.till.handle(ProviderBack()))


OfflineTillMachine.TestCase.settings = settings(
    max_examples=300,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_offline_till_invariants = OfflineTillMachine.TestCase
