"""benchmarks/chaos.py's end: every journal settled, then reconciled against the provider's
ledger, and what the terminals printed held to it.

- completed / declined: the journals' outcomes (declined: the provider said no, or the
  request never reached it, or a till that stopped left it and the provider has none: "not
  charged after a stop", terminal/settle.py; or it never arrived and the settler canceled it
  at the provider: "not charged after a cancel", api.md "Canceling a movement that never
  came");
- canceled yet in the ledger: a movement the settler canceled that the ledger holds a
  transaction for, by its client_reference (the cancel is "cancel unless done": should be 0);
- unknown then settled: outcomes that were unknown (a fault, a kill, a lie) and settled;
- left unknown: what settling could not finish (should be 0);
- lost: completed in a journal, absent from the ledger;
- doubled: a ledger movement beside the one its journal entry names (same gift, type and
  amount): one intent that ran twice;
- orphaned: a ledger movement at a terminal's location that no journal knows;
- lies printed: a receipt printed as fact, or a journal entry that moved money, stating an
  amount, a balance, a card, a currency or a type the ledger's transaction does not have
  (or naming a transaction the ledger lacks);
- lies believed: an answer the proxy rewrote whose journal entry did not end unknown then
  settled from the provider's own record (issue 18.3: never printed as fact);
- balance mismatches: gifts whose ledger does not add up (api.md's identity), or whose
  balance is not what the journals say happened to it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

# The ledger's type of each journal operation (api.md "The transaction object").
TYPE_OF = {
    "redemption": "redemption",
    "reversal": "reversal",
    "activation": "activation",
    "issue": "issue",
    "cash_out": "gift_card_cash_out",
    "void": "reversal",
}
SIGNS = {"redemption": -1, "reversal": 1, "activation": 1}
# A receipt's lines that state what moved, and what is left (terminal/service.py).
AMOUNT_LINES = ("Amount", "Sold for", "Cash paid out", "Refunded", "Voided")
BALANCE_LINES = ("Balance left", "Card value")


def settle_all(url: str, tills: list[dict[str, str]], journals: list[Path]) -> int:
    """Each journal settled by its own till's engine, straight to the provider."""
    from posapp.app import build_engine
    from posapp.config import Config

    config = Config()
    config = replace(config, provider=replace(config.provider, url=url, timeout_s=5.0))
    settled = 0
    for till, journal in zip(tills, journals, strict=True):
        if not journal.exists():
            continue
        engine = build_engine(config, token=till["token"], journal=journal, start_settler=False)
        before = engine.settler.count
        deadline = time.monotonic() + 90
        while engine.settler.settle_once(include_pending=True) and time.monotonic() < deadline:
            time.sleep(0.2)
        settled += before - engine.settler.count
        engine.close()
    return settled


def events(path: Path) -> list[dict[str, Any]]:
    """A terminal's events file (a SIGKILL may have cut its last line)."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text().splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def money(minor: int | None, currency: str) -> str:
    from posapp.core.money import format_money

    return "" if minor is None else format_money(minor, currency, "en_US")


def receipt_lie(receipt: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> bool:
    """A receipt printed as fact that says what the ledger does not."""
    if receipt["not_confirmed"] or receipt["kind"] not in TYPE_OF:
        return False
    txn = by_id.get(receipt["transaction_id"] or "")
    if txn is None:
        return True
    for label, value in receipt["lines"]:
        if label in AMOUNT_LINES and value != money(txn["amount"], txn["currency"]):
            return True
        if label in BALANCE_LINES and value != money(txn["balance_after"], txn["currency"]):
            return True
        if label == "Original" and value != txn["reverses"]:
            return True
    return False


def said_of(entry: Any) -> tuple[Any, ...]:
    """What a journal entry says moved: amount, balance, card, currency, type."""
    op = TYPE_OF[entry.operation]
    return (entry.amount, entry.balance_after, entry.gift_id, entry.currency, op)


def truth_of(txn: dict[str, Any]) -> tuple[Any, ...]:
    """The same, as the ledger has it."""
    return (txn["amount"], txn["balance_after"], txn["gift_id"], txn["currency"], txn["type"])


def entry_lie(entry: Any, txn: dict[str, Any]) -> bool:
    """A journal entry that moved money, saying what its ledger transaction does not."""
    return said_of(entry) != truth_of(txn)


def reconcile(
    url: str,
    admin: dict[str, str],
    tills: list[dict[str, str]],
    journals: list[Path],
    *,
    receipts: list[dict[str, Any]] | None = None,
    told: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    from posapp.adapters.journal import Journal
    from posapp.terminal.settle import CANCELED_WORDS, NOT_SENT

    receipts, told = receipts or [], told or []
    with httpx.Client(base_url=url, headers=admin, timeout=30) as http:
        # The tills' movements: a card the campaign creates with its balance is a manager's
        # adjustment in the ledger (issue 19.2), which no journal of a till names.
        ledger = [t for t in paged(http, "/v1/transactions") if t["type"] != "adjustment"]
        gifts = paged(http, "/v1/gift-cards", include_canceled=True)
    by_id = {t["id"]: t for t in ledger}
    by_reference = {t["client_reference"] for t in ledger if t.get("client_reference")}
    counts = dict.fromkeys(
        ("operations", "completed", "declined", "unknown then settled", "left unknown"), 0
    )
    lost = lies = 0
    seen: list[str] = []  # each lie and stray found, said for the one who reads the JSON
    stopped: Counter[str] = Counter()
    named: set[str] = set()
    by_key: dict[str, Any] = {}
    moved: dict[str, int] = {}  # what the journals say happened to each gift's balance
    for path in journals:
        if not path.exists():
            continue
        book = Journal(path)
        for entry in book.entries():
            by_key[entry.idempotency_key] = entry
            counts["operations"] += 1
            counts["unknown then settled"] += entry.state == "settled"
            if entry.to_settle:
                counts["left unknown"] += 1
            elif entry.moved_money:
                counts["completed"] += 1
                if entry.transaction_id not in by_id:
                    lost += 1
                    continue
                named.add(str(entry.transaction_id))
                txn = by_id[entry.transaction_id]
                if entry_lie(entry, txn):
                    lies += 1
                    seen.append(
                        f"journal entry {entry.idempotency_key} ({entry.state}): {said_of(entry)}, ledger {truth_of(txn)}"
                    )
                moved[txn["gift_id"]] = moved.get(txn["gift_id"], 0) + SIGNS[txn["type"]] * (
                    txn["amount"] or 0
                )
            else:
                counts["declined"] += 1
                stopped["not charged after a stop"] += entry.error == NOT_SENT
                if entry.error == CANCELED_WORDS:
                    stopped["not charged after a cancel"] += 1
                    reference = entry.intent.client_reference or entry.idempotency_key
                    if reference in by_reference:  # canceled, yet it moved money
                        stopped["canceled yet in the ledger"] += 1
                        seen.append(f"canceled yet in the ledger: {said_of(entry)} {reference}")
        book.close()
    for receipt in receipts:
        if receipt_lie(receipt, by_id):
            lies += 1
            txn = by_id.get(receipt["transaction_id"] or "")
            seen.append(f"receipt {receipt}, ledger {txn and truth_of(txn)}")
    believed = 0
    for lie in told:
        told_of = by_key.get(lie["key"])
        settled_true = (
            told_of is not None
            and (told_of.state, told_of.outcome) == ("settled", "completed")
            and told_of.transaction_id in by_id
            and not entry_lie(told_of, by_id[told_of.transaction_id])
        )
        if not settled_true:
            believed += 1
            state = None if told_of is None else (told_of.state, told_of.outcome, told_of.error)
            seen.append(f"lie believed: {lie}, its entry {state}")
    locations = {t["location_id"] for t in tills}
    strays = [t for t in ledger if t["location_id"] in locations and t["id"] not in named]
    kinds = {(by_id[i]["gift_id"], by_id[i]["type"], by_id[i]["amount"]) for i in named}
    doubled = sum((t["gift_id"], t["type"], t["amount"]) in kinds for t in strays)
    for stray in strays:  # said with the journal entry that carries its reference, if any
        mine = by_key.get(stray.get("client_reference") or "")
        state = None if mine is None else (mine.operation, mine.state, mine.outcome, mine.error)
        seen.append(f"not named by its journal: {truth_of(stray)} {stray['created_at']}: {state}")
    mismatches = 0
    for gift in gifts:
        own = [t for t in ledger if t["gift_id"] == gift["id"]]
        redeemed = sum(t["amount"] for t in own if t["type"] == "redemption")
        back = sum(t["amount"] for t in own if t["type"] == "reversal")
        start = gift["starting_balance"]
        activated = any(t["type"] == "activation" for t in own)
        said = (0 if activated else start) + moved.get(gift["id"], 0)
        if start - redeemed + back != gift["balance"] or said != gift["balance"]:
            mismatches += 1
    return {
        **counts,
        "lost": lost,
        "doubled": doubled,
        "orphaned": len(strays) - doubled,
        "lies printed": lies,
        "lies believed": believed,
        "balance mismatches": mismatches,
        "found": seen[:50],
        "not charged after a stop": stopped["not charged after a stop"],
        "not charged after a cancel": stopped["not charged after a cancel"],
        "canceled yet in the ledger": stopped["canceled yet in the ledger"],
        "gifts": len(gifts),
        "ledger movements": len(ledger),
        "ledger movements at the tills": sum(t["location_id"] in locations for t in ledger),
        "receipts printed as fact": sum(
            not r["not_confirmed"] and r["kind"] in TYPE_OF for r in receipts
        ),
    }


def put_faults_in(
    campaign: Any, journals: list[Path], receipts: list[dict[str, Any]], told: list[dict[str, str]]
) -> dict[str, Any]:
    """The reconciliation again, of a ledger and a journal made wrong on purpose: a
    redemption no journal knows (orphaned), one journalled redemption run a second time
    under a new key (doubled), a journal entry naming a transaction the ledger does
    not have (lost), a journal entry and a receipt stating a balance and an amount the
    ledger does not have (2 lies printed), and a lie told of a movement the journal
    recorded at once (believed). Shows the check can fail."""
    from posapp.adapters.journal import Journal
    from posapp.core import intent

    book = Journal(journals[0])
    once = next(e for e in book.entries() if e.operation == "redemption" and e.state == "completed")
    codes = json.loads((campaign.tmp / "codes.json").read_text())
    till = {"Authorization": f"Bearer {campaign.tills[0]['token']}"}
    with httpx.Client(base_url=campaign.url, headers=till) as http:
        other = http.post("/v1/gifts/validate", json={"code": codes[0]}).json()["gift"]
        for gift_id, amount, key in (
            (other["id"], 777, "in-no-journal"),  # the terminals redeem 1 to 500
            (once.gift_id, once.amount, "again-under-a-new-key"),
        ):
            http.post(
                f"/v1/gifts/{gift_id}/redemptions",
                json={"amount": amount},
                headers={"Idempotency-Key": key},
            ).raise_for_status()
    fake = book.intend(
        intent.redeem(other["id"], amount=5), code=codes[0], currency="USD", key="fake"
    )
    book.record(fake.id, "completed", transaction_id="1", amount=5, gift_id=other["id"])
    book.record(once.id, "completed", balance_after=(once.balance_after or 0) + 100)
    book.close()
    printed = {
        "kind": "redemption",
        "not_confirmed": False,
        "transaction_id": once.transaction_id,
        "lines": [["Amount", "$9,999.99"]],
    }
    believed = {"key": once.idempotency_key, "kind": "a smaller amount", "call": "POST"}
    return reconcile(
        campaign.url,
        campaign.admin(),
        campaign.tills,
        journals,
        receipts=[*receipts, printed],
        told=[*told, believed],
    )


def paged(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = None
    while True:
        page = http.get(
            path, params={"limit": 100, **params, **({"after": after} if after else {})}
        )
        page.raise_for_status()
        rows = page.json()
        found += rows
        if len(rows) < 100:
            return found
        after = rows[-1]["id"]


ROWS = (
    "operations",
    "completed",
    "declined",
    "not charged after a stop",
    "not charged after a cancel",
    "canceled yet in the ledger",
    "unknown then settled",
    "left unknown",
    "lost",
    "doubled",
    "orphaned",
    "lies printed",
    "lies believed",
    "balance mismatches",
    "crashes",
)


def said_counts(all_events: list[dict[str, Any]]) -> Counter[str]:
    return Counter(e["said"] for e in all_events if "said" in e)


def fault_counts(
    faults: Counter[str],
    proxy: Any,
    liar: Any,
    disks: Any,
    tills: list[Any],
    provider: Any,
    seen: list[dict[str, Any]],
) -> dict[str, Any]:
    """Each fault's count, for the table: the proxy's draws, the lies by kind, the kills,
    the clock jumps, the full disks, and what the cashiers were told."""
    told = said_counts(seen)
    found: dict[str, Any] = {
        "proxy: requests": sum(proxy.drawn.values()),
        "proxy: delayed 0.4 s": proxy.drawn["delay"],
        "proxy: reset before forwarding": proxy.drawn["reset_before"],
        "proxy: answer dropped after the commit": proxy.drawn["drop_answer"],
        "proxy: money answers rewritten (lies)": len(liar.told),
        **{f"  {kind}": n for kind, n in liar.counts().items()},
        "terminal SIGKILLs": sum(t.killed for t in tills),
        "  while its journal disk was full": faults[
            "terminal SIGKILLs while its journal disk was full"
        ],
        "provider SIGKILLs": provider.killed,
        "  restarts with the clock 3 days ahead": faults["restarts with the clock 3 days ahead"],
        "  keys forgotten at those restarts": faults["keys forgotten at those restarts"],
        "  not confirmed across the clock jumps": faults[
            "movements not confirmed across the clock jumps"
        ],
    }
    if disks.skipped:
        found["journal disk full"] = f"skipped: {disks.skipped}"
    else:
        found["journal disk full (a few seconds each)"] = disks.fills
    for words, n in sorted(told.items()):
        found[f"  told: {words}"] = n
    return found


def table(result: dict[str, Any]) -> str:
    faults = result["faults"]
    lines = [
        f"chaos: {result['terminals']} terminals, seed {result['seed']}, {result['gifts']} "
        f"gifts, {result['seconds']} s of campaign ({result['wall_s']} s wall), load "
        f"{result['load_start']:.2f} -> {result['load']:.2f}",
        *(f"  {row:<26}{result[row]:>8}" for row in ROWS),
        "faults:",
        *(f"  {name:<58}{value:>8}" for name, value in faults.items()),
    ]
    if result["unfinished_terminals"]:
        lines.append(f"  ({result['unfinished_terminals']} terminals stopped at the time limit)")
    return "\n".join(lines)
