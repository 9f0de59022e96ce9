"""The provider's rules (api.md), pure: statuses, what a gift can pay, problems, ids, times.

Nothing here touches the database or HTTP; store.py applies these rules inside its
transactions and app.py turns Problem into problem+json at the edge.
"""

from __future__ import annotations

import functools
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from posapp.contract.fields import RFC3339
from posapp.contract.problems import STATUS, TITLES, type_uri
from posapp.core.json_value import JsonOut
from posapp.core.money import MAX_AMOUNT, format_money
from posapp.provider.rows import GiftRow


@dataclass
class Problem(Exception):
    """An api.md error: the code decides the status; detail is words for a person."""

    code: str
    detail: str
    errors: list[dict[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, JsonOut] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def body(self) -> dict[str, JsonOut]:
        out: dict[str, JsonOut] = {
            "type": type_uri(self.code),
            "title": TITLES[self.code],
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if self.errors:
            out["errors"] = self.errors
        out.update(self.extra)
        return out


# --- times: integers of microseconds since the epoch inside, RFC 3339 with Z outside -------


def now_us() -> int:
    return time.time_ns() // 1000


def to_rfc3339(us: int | None) -> str | None:
    if us is None:
        return None
    return f"{_second(us // 1_000_000)}.{us % 1_000_000:06d}Z"


@functools.lru_cache(maxsize=4096)
def _second(seconds: int) -> str:
    # An answer carries three or four times, mostly of the same few seconds; strftime was a
    # tenth of the ledger's work on a redemption. Four digits of year always: strftime's %Y
    # printed the year 541 as "541", which is not RFC 3339 (Schemathesis).
    moment = _EPOCH + timedelta(seconds=seconds)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}"


def from_rfc3339(text: str, field_name: str) -> int:
    if not RFC3339.fullmatch(text):
        raise Problem(
            "validation_error",
            f"{field_name} must be an RFC 3339 time such as 2026-11-22T01:41:51Z",
            [{"field": field_name, "message": "not an RFC 3339 timestamp"}],
        )
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError as exc:
        raise Problem(
            "validation_error",
            f"{field_name} is not a real date and time",
            [{"field": field_name, "message": str(exc)}],
        ) from exc
    try:
        utc = moment.astimezone(UTC)
    except OverflowError as exc:  # e.g. 9999-12-31T23:00:00-01:00 is in year 10000 in UTC
        raise Problem(
            "validation_error",
            f"{field_name} must be in the years 0001 to 9999 (UTC)",
            [{"field": field_name, "message": "outside the years 0001 to 9999 in UTC"}],
        ) from exc
    # In whole microseconds: timestamp() is a float, and 9999-12-31T23:59:59.999999Z rounded
    # up into year 10000, which no answer could then print (issue 18: a 500).
    return (utc - _EPOCH) // _MICROSECOND


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def check_validity(usable_at: int, expires_at: int | None, field_name: str = "expires_at") -> None:
    """api.md: a card is usable from usable_at until expires_at, so expires_at comes after
    usable_at; a window the other way round (issue 18) is a card that can never be used."""
    if expires_at is not None and expires_at <= usable_at:
        raise Problem(
            "validation_error",
            f"expires_at ({to_rfc3339(expires_at)}) must be after usable_at "
            f"({to_rfc3339(usable_at)}): the card could never be used",
            [{"field": field_name, "message": "must be after usable_at"}],
        )


def check_not_expired(expires_at: int | None, now: int) -> None:
    """api.md: an activation sells a card now, so its expiry is still ahead (issue 18: a
    customer paid $50.00 for a card that was dead on arrival)."""
    if expires_at is not None and expires_at <= now:
        raise Problem(
            "validation_error",
            f"expires_at ({to_rfc3339(expires_at)}) has already passed: a card sold now "
            "must expire later, or not at all",
            [{"field": "expires_at", "message": "already passed"}],
        )


def day(us: int) -> str:
    return _second(us // 1_000_000)[:10]


# --- ids: flakes, 64-bit and time-ordered (api.md "Conventions") ---------------------------

_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z: 41 bits of ms last until 2095


class Flakes:
    """41 bits of milliseconds, 10 bits of worker, 12 bits of sequence.

    The worker number is claimed from the database at start (store.py), so several worker
    processes sharing one PostgreSQL never mint the same id.
    """

    def __init__(self, worker: int) -> None:
        self.worker = worker & 0x3FF
        self._lock = threading.Lock()
        self._last_ms = 0
        self._seq = 0

    def next(self) -> int:
        with self._lock:
            ms = max(int(time.time() * 1000) - _EPOCH_MS, self._last_ms)
            if ms == self._last_ms:
                self._seq = (self._seq + 1) & 0xFFF
                if self._seq == 0:  # 4096 ids in one ms: borrow the next ms
                    ms += 1
            else:
                self._seq = 0
            self._last_ms = ms
            return (ms << 22) | (self.worker << 12) | self._seq


# --- tokens -------------------------------------------------------------------------------


def new_token_secret() -> str:
    """What the client sends as its bearer token: a random 32-byte secret."""
    return "pgc_" + secrets.token_urlsafe(32)


def new_public_token() -> str:
    return secrets.token_urlsafe(18)


def new_issue_code() -> str:
    """api.md: an issued card gets a new 12-digit numeric code."""
    return f"{secrets.randbelow(10**12):012d}"


# --- codes --------------------------------------------------------------------------------

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{0,63}")


def check_code(code: str, field_name: str = "code") -> str:
    if not _CODE.fullmatch(code) or code != code.strip():
        raise Problem(
            "validation_error",
            "A gift card code is 1 to 64 letters, digits, spaces or dashes",
            [{"field": field_name, "message": "1 to 64 letters, digits, spaces or dashes"}],
        )
    return code


def code_key(code: str) -> str:
    """Codes are unique per store and matched case-insensitively (api.md)."""
    return code.casefold()


TAIL = 4  # api.md: a search by the code's end gives at least its last four characters


def code_tail(code: str) -> str:
    """The code's last four, as matched (the index `gifts_by_code_tail` finds a code by its
    end: a manager reads "••0002" on a slip, and a till's scan prints the code with a prefix
    the store's patterns take off)."""
    return code_key(code)[-TAIL:]


def check_amount(value: int, field_name: str = "amount") -> int:
    if value <= 0 or value > MAX_AMOUNT:
        raise Problem(
            "invalid_amount",
            f"{field_name} must be a whole number of minor units from 1 to {MAX_AMOUNT}",
            [{"field": field_name, "message": f"from 1 to {MAX_AMOUNT}"}],
        )
    return value


# --- gifts --------------------------------------------------------------------------------


def status_of(row: GiftRow, now: int) -> str:
    """api.md: the first that applies."""
    if row.canceled_at is not None:
        return "canceled"
    if not row.enabled:
        return "disabled"
    if now < row.usable_at:
        return "not_yet_usable"
    if row.expires_at is not None and now >= row.expires_at:
        return "expired"
    left = row.balance if row.kind == "monetary" else row.item_quantity
    if not left:
        return "depleted"
    return "active"


def location_allowed(row: GiftRow, location_id: int) -> bool:
    allowed = row.allowed_location_ids
    return allowed is None or str(location_id) in allowed


def not_redeemable_reason(row: GiftRow, now: int, location_id: int) -> str | None:
    status = status_of(row, now)
    if status != "active":
        return status
    if not location_allowed(row, location_id):
        return "location_not_allowed"
    return None


def present_value(row: GiftRow, now: int, location_id: int, currency: str) -> str:
    """One line for the cashier (api.md's present_value_description)."""
    reason = not_redeemable_reason(row, now, location_id)
    if reason is None:
        if row.kind == "item":
            return f"{row.item_quantity} x {row.item_label} available"
        return f"{format_money(row.balance or 0, currency)} available"
    return {
        "canceled": "Canceled",
        "disabled": "Disabled",
        "not_yet_usable": f"Not usable until {day(row.usable_at)}",
        "expired": f"Expired on {day(row.expires_at or 0)}",
        "depleted": "Used up",
        "location_not_allowed": "Not valid at this location",
    }[reason]


REASON_WORDS = {
    "canceled": "the gift card was canceled",
    "disabled": "the gift card is disabled",
    "not_yet_usable": "the gift card is not usable yet",
    "expired": "the gift card has expired",
    "depleted": "the gift card is used up",
    "location_not_allowed": "the gift card is not valid at this location",
}


def redeemable_or_problem(row: GiftRow, now: int, location_id: int) -> None:
    reason = not_redeemable_reason(row, now, location_id)
    if reason is not None:
        raise Problem(
            "not_redeemable", f"Not redeemable: {REASON_WORDS[reason]}", extra={"reason": reason}
        )
