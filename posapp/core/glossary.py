"""The store's words for the code's names: one place, so no internal identifier reaches a
screen, a receipt, a report, a message or the command line.

Each table is keyed by the value the code uses (api.md's enums, the journal's states,
config.md's keys). tests/core/test_glossary.py walks every Literal these come from and
fails when a value has no word here, so a new status or setting cannot ship nameless.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from posapp.i18n import N_, _, dates_locale, language

if TYPE_CHECKING:
    from posapp.core.entry import Entry

K = TypeVar("K")


class Words(Mapping[K, str]):
    """A table of words, each read in the language in use (posapp/i18n.py): the values are
    English msgids marked with N_, translated when looked up (`TABLE[key]`, `.get`, `.items`)."""

    __slots__ = ("_english",)

    def __init__(self, english: Mapping[K, str]) -> None:
        self._english = dict(english)

    def __getitem__(self, key: K) -> str:
        return _(self._english[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._english)

    def __len__(self) -> int:
        return len(self._english)


# What happened: the journal's operations and the provider's transaction types (api.md,
# "The transaction object"). A cash-out is one thing to a cashier, whichever name it has.
TRANSACTION = Words(
    {
        "redemption": N_("Redemption"),
        "reversal": N_("Reversal"),
        "cash_out": N_("Cash-out"),
        "gift_card_cash_out": N_("Cash-out"),
        "activation": N_("Card sold"),
        "issue": N_("Refund to card"),
        "void": N_("Card voided"),
        "adjustment": N_("Balance adjustment"),
        # A manager's money changes (core/adjustment.py); "adjustment" above is a balance set.
        "card_created": N_("Card created"),
        "card_canceled": N_("Card canceled"),
    }
)

# The same, in a sentence: "This is the receipt of a card sale".
RECEIPT_OF = Words(
    {
        "redemption": N_("a redemption"),
        "reversal": N_("a reversal"),
        "cash_out": N_("a cash-out"),
        "activation": N_("a card sale"),
        "issue": N_("a refund to a card"),
        "void": N_("a card voided"),
        "adjustment": N_("a balance adjustment"),
        "card_created": N_("a card created"),
        "card_canceled": N_("a card canceled"),
    }
)

# Report rows: the same, counted.
TRANSACTION_PLURAL = Words(
    {
        "redemption": N_("Redemptions"),
        "reversal": N_("Reversals"),
        "cash_out": N_("Cash-outs"),
        "activation": N_("Cards sold"),
        "issue": N_("Refunds to cards"),
        "void": N_("Cards voided"),
    }
)

# Report rows of an item gift's movements, counted apart from the money ones.
ITEMS_PLURAL = Words(
    {
        "redemption": N_("Item redemptions"),
        "reversal": N_("Item reversals"),
        "cash_out": N_("Item cash-outs"),
        "activation": N_("Item cards sold"),
        "issue": N_("Item refunds to cards"),
    }
)

# A gift's status and why it cannot pay (api.md, "The gift object").
GIFT_STATUS = Words(
    {
        "active": N_("Active"),
        "depleted": N_("Used up"),
        # NewStore's balance of 0: a card used up and a disabled one read the same (its answer
        # has no status), so the till says only what it knows (posapp/adapters/newstore.py).
        "empty": N_("Nothing to spend"),
        "expired": N_("Expired"),
        "not_yet_usable": N_("Not usable yet"),
        "disabled": N_("Disabled"),
        "canceled": N_("Canceled"),
        "location_not_allowed": N_("Another shop's card"),
        # Square's PENDING and BLOCKED cards (posapp/adapters/square.py)
        "not_activated": N_("Not sold yet"),
        "blocked": N_("Blocked"),
    }
)

# A card a cash-out closed: the provider says "disabled", the cashier reads this.
CASHED_OUT = N_("Cashed out")  # translated where shown: _(CASHED_OUT)

CARD_KIND = Words({"monetary": N_("Money"), "item": N_("Item")})

# The provider's state of a transaction.
TRANSACTION_STATE = Words({"completed": N_("Done"), "reversed": N_("Reversed")})

# The shift list's state column: what the cashier needs to know of each line.
JOURNAL_STATE = Words(
    {
        "completed": N_("done"),
        "declined": N_("declined"),
        "pending": N_("not confirmed yet"),
        "unknown": N_("not confirmed yet"),
    }
)
SETTLED = Words({"completed": N_("settled: done"), "declined": N_("settled: not charged")})
NOT_SENT_STATE = N_("not sent")  # the provider never got it: nothing happened (core.entry)
# A transaction a later reversal undid (the journal's reversal entry moved money), or whose
# reversal is still to settle.
REVERSED = Words({"done": N_("reversed"), "to_settle": N_("being reversed")})

# What a manager PIN approves (config.md `manager.require_pin_for`).
PIN_ACTION = Words(
    {
        "reverse": N_("Reverse a transaction"),
        "cash_out": N_("Pay a card out in cash"),
        "refund": N_("Refund to a new card"),
        "settings": N_("Change settings and close the shift"),
        "cards": N_("Manage gift cards"),
    }
)

# Receipt titles, in capitals as a thermal printer prints them.
RECEIPT_TITLE = Words(
    {
        "redemption": N_("GIFT CARD REDEMPTION"),
        "reversal": N_("GIFT CARD REVERSAL"),
        "cash_out": N_("GIFT CARD CASH-OUT"),
        "activation": N_("GIFT CARD SOLD"),
        "issue": N_("REFUND TO GIFT CARD"),
        "void": N_("GIFT CARD VOIDED"),
        "balance": N_("GIFT CARD BALANCE"),
        "x_report": N_("X REPORT (SHIFT SO FAR)"),
        "z_report": N_("Z REPORT (SHIFT CLOSED)"),
        "settled": N_("SETTLED: NOW CONFIRMED"),
        "sale": N_("PAID WITH GIFT CARDS"),
        "sale_cancelled": N_("SALE CANCELLED"),
    }
)

# config.md's sections and keys, as the settings screen and `posapp check` name them.
SETTING_SECTION = Words(
    {
        "store": N_("Store"),
        "terminal": N_("This till"),
        "provider": N_("Gift card provider"),
        "scanner": N_("Scanner"),
        "patterns": N_("Card patterns"),
        "printer": N_("Printer"),
        "receipt": N_("Receipts"),
        "manager": N_("Manager"),
        "denominations": N_("Cards for sale"),
        "sale": N_("Card sales"),
        "offline": N_("Selling while the provider is down"),
        "journal": N_("Journal"),
        "window": N_("Window"),
    }
)
SETTING = Words(
    {
        "store.name": N_("Store name"),
        "store.address": N_("Address lines on receipts"),
        "store.location_name": N_("Till name on receipts"),
        "store.locale": N_("Language for amounts"),
        "store.jurisdiction": N_("State, for its cash-out law (US-CA)"),
        "terminal.cashier": N_("Cashier's name on receipts"),
        "terminal.language": N_("Language of screens and receipts"),
        "provider.api": N_("Kind of provider"),
        "provider.url": N_("Provider address"),
        "provider.location_id": N_("Provider's location of this till"),
        "provider.stored_value_url": N_("Adyen Stored Value address"),
        "provider.merchant_account": N_("Adyen merchant account"),
        "provider.brand": N_("Gift card brand (Adyen)"),
        "provider.store": N_("Adyen store of this till"),
        "provider.store_id": N_("NewStore store of this till"),
        "provider.value_units": N_("NewStore amounts in"),
        "provider.cash_out_enabled": N_("NewStore allows cash-outs"),
        "provider.timeout_s": N_("Give up on a call after (seconds)"),
        "provider.deadline_s": N_("Give up on a money call after (seconds; 0: the same)"),
        "provider.max_answer_kb": N_("Largest answer accepted (KB)"),
        "provider.cash_out": N_("How cash-outs are made"),
        "provider.ca_bundle": N_("Certificate authority file"),
        "scanner.mode": N_("Scanner connection"),
        "scanner.port": N_("Scanner port"),
        "scanner.baudrate": N_("Scanner speed (baud)"),
        "scanner.terminator": N_("Scanner line ending"),
        "scanner.max_key_gap_ms": N_("Fastest typing that is a scan (ms)"),
        "scanner.prefix": N_("Text before each scan, removed"),
        "scanner.suffix": N_("Text after each scan, removed"),
        "scanner.wedge_map": N_("USB scanner: characters read back (F12, Calibrate)"),
        "scanner.wedge_case": N_("USB scanner: letters arrive"),
        "scanner.wedge_prefix": N_("USB scanner: text before each scan, removed"),
        "scanner.wedge_suffix": N_("USB scanner: text after each scan, removed"),
        "scanner.wedge_aim": N_("USB scanner: an AIM identifier starts with"),
        "patterns.name": N_("Name"),
        "patterns.regex": N_("Pattern"),
        "patterns.lookup": N_("Look the card up by"),
        "patterns.case": N_("Letter case"),
        "patterns.check_digit": N_("Check digit"),
        "printer.transport": N_("Printer connection"),
        "printer.port": N_("Printer port"),
        "printer.baudrate": N_("Printer speed (baud)"),
        "printer.vendor_id": N_("USB vendor id"),
        "printer.product_id": N_("USB product id"),
        "printer.host": N_("Printer network address"),
        "printer.path": N_("Printer file or device"),
        "printer.folder": N_("Folder for receipt pictures (virtual printer)"),
        "printer.paper_width_mm": N_("Paper width (mm)"),
        "printer.codepage": N_("Printer code page"),
        "printer.cut": N_("Cut the paper"),
        "printer.cash_drawer": N_("Open the cash drawer on cash-out"),
        "receipt.logo": N_("Logo (PNG)"),
        "receipt.footer": N_("Footer lines"),
        "receipt.mask_serial": N_("Hide card numbers but the last four"),
        "receipt.sale_card_slips": N_("A slip for each card of a sale paid with several"),
        "manager.pin_hash": N_("Manager PIN"),
        "manager.require_pin_for": N_("Ask for the manager PIN to"),
        "denominations.pricebook": N_("Name (price book)"),
        "denominations.amount": N_("Amount (in cents)"),
        "sale.min_amount": N_("Smallest amount a card is sold for (in cents)"),
        "sale.max_amount": N_("Largest amount a card is sold for (in cents)"),
        "offline.floor": N_("Most one card may pay offline (in cents; 0: off)"),
        "offline.shift_limit": N_("Most a shift may take offline in all (in cents; 0: off)"),
        "offline.card_seen_days": N_("Only cards seen online within this many days"),
        "journal.path": N_("Journal file"),
        "window.fullscreen": N_("Fill the screen"),
    }
)

# The choices of config.md's keys that take one of a few words.
CHOICE: dict[str, Words[Any]] = {
    "provider.api": Words(
        {
            "posapp": N_("posapp's own API"),
            "square": N_("Square"),
            "adyen": N_("Adyen"),
            "newstore": N_("NewStore"),
        }
    ),
    "provider.value_units": Words(
        {"major": N_("Major units (12.5)"), "minor": N_("Minor units (1250)")}
    ),
    "provider.cash_out": Words(
        {
            "endpoint": N_("The provider's cash-out"),
            "redeem": N_("Redeem the whole balance"),
        }
    ),
    "terminal.language": Words(
        {
            "": N_("The computer's"),
            # Each language in its own words: whoever reads it may not read the one on screen.
            "en": "English",
            "de": "Deutsch",
            "fr": "Français",
            "es": "Español",
        }
    ),
    "scanner.mode": Words(
        {"wedge": N_("USB keyboard"), "serial": N_("Serial port"), "both": N_("Both")}
    ),
    "scanner.terminator": Words({"CR": N_("CR"), "LF": N_("LF"), "CRLF": N_("CR LF")}),
    "scanner.wedge_case": Words({"keep": N_("As sent"), "invert": N_("In the other case")}),
    "patterns.lookup": Words({"code": N_("Card code"), "public_token": N_("QR code token")}),
    "patterns.case": Words(
        {"upper": N_("Upper case"), "lower": N_("Lower case"), "keep": N_("As scanned")}
    ),
    "patterns.check_digit": Words({"none": N_("None"), "luhn": N_("Luhn")}),
    "printer.transport": Words(
        {
            "serial": N_("Serial port"),
            "usb": N_("USB"),
            "network": N_("Network"),
            "file": N_("File or device"),
            "virtual": N_("Virtual (pictures)"),
            "none": N_("No printer"),
        }
    ),
    "printer.paper_width_mm": Words({80: N_("80 mm"), 58: N_("58 mm")}),
    "manager.require_pin_for": PIN_ACTION,
}


def transaction(name: str) -> str:
    return TRANSACTION.get(name, _fallback(name))


def setting(key: str) -> str:
    """`store.location_name` -> "Till name on receipts"."""
    return SETTING.get(key, _fallback(key.rsplit(".", 1)[-1]))


def choice(key: str, value: object) -> str:
    words = CHOICE.get(key)
    return words.get(value, _fallback(str(value))) if words is not None else _fallback(str(value))


def entry_state(entry: Entry, reversal: Entry | None = None) -> str:
    """`shift_state` of a journal entry; "not sent" for one the provider never got."""
    if entry.never_sent:
        return _(NOT_SENT_STATE)
    return shift_state(entry.state, entry.outcome, reversal)


def shift_state(state: str, outcome: str | None, reversal: Entry | None = None) -> str:
    """A journal entry's state in the shift list: "done", "not confirmed yet", "settled: …";
    "reversed" when `reversal` (the journal's entry that reverses it) went through."""
    if reversal is not None and reversal.moved_money:
        return REVERSED["done"]
    if reversal is not None and reversal.to_settle:
        return REVERSED["to_settle"]
    if state == "settled":
        return SETTLED.get(outcome or "", "settled")
    return JOURNAL_STATE.get(state, _fallback(state))


def count(quantity: int, one: str, many: str | None = None) -> str:
    """ "1 item", "2 items" in English; elsewhere "2 × Kaffee" (an item's name from the
    provider has no plural we could know)."""
    if language() != "en":
        return f"{quantity} × {one}"
    return f"{quantity} {one if quantity == 1 else (many or one + 's')}"


def items(quantity: int, label: str | None) -> str:
    """An item gift's quantity with its item's name: "1 × Coffee"."""
    return f"{quantity} × {label or _('item')}"


def day(when: datetime) -> str:
    """A date as receipts and screens say it: 24 Oct 2026; in another language, its own
    (Babel, in the store's locale where it speaks the language on screen: posapp/i18n.py)."""
    if language() == "en":
        return f"{when.day} {when:%b %Y}"
    from babel.dates import format_date  # loaded at the first date shown, not at start

    return format_date(when, "medium", locale=dates_locale())


def _fallback(name: str) -> str:
    # A value the tables do not know yet (a newer provider): its words, not its spelling.
    return name.replace("_", " ").capitalize()
