"""The store's words for the code's names: one place, so no internal identifier reaches a
screen, a receipt, a report, a message or the command line.

Each table is keyed by the value the code uses (api.md's enums, the journal's states,
config.md's keys). tests/core/test_glossary.py walks every Literal these come from and
fails when a value has no word here, so a new status or setting cannot ship nameless.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from posapp.core.entry import Entry

# What happened: the journal's operations and the provider's transaction types (api.md,
# "The transaction object"). A cash-out is one thing to a cashier, whichever name it has.
TRANSACTION = {
    "redemption": "Redemption",
    "reversal": "Reversal",
    "cash_out": "Cash-out",
    "gift_card_cash_out": "Cash-out",
    "activation": "Card sold",
    "issue": "Refund to card",
    "void": "Card voided",
    "adjustment": "Balance adjustment",
    # A manager's money changes (core/adjustment.py); "adjustment" above is a balance set.
    "card_created": "Card created",
    "card_canceled": "Card canceled",
}

# The same, in a sentence: "This is the receipt of a card sale".
RECEIPT_OF = {
    "redemption": "a redemption",
    "reversal": "a reversal",
    "cash_out": "a cash-out",
    "activation": "a card sale",
    "issue": "a refund to a card",
    "void": "a card voided",
    "adjustment": "a balance adjustment",
    "card_created": "a card created",
    "card_canceled": "a card canceled",
}

# Report rows: the same, counted.
TRANSACTION_PLURAL = {
    "redemption": "Redemptions",
    "reversal": "Reversals",
    "cash_out": "Cash-outs",
    "activation": "Cards sold",
    "issue": "Refunds to cards",
    "void": "Cards voided",
}

# Report rows of an item gift's movements, counted apart from the money ones.
ITEMS_PLURAL = {
    "redemption": "Item redemptions",
    "reversal": "Item reversals",
    "cash_out": "Item cash-outs",
    "activation": "Item cards sold",
    "issue": "Item refunds to cards",
}

# A gift's status and why it cannot pay (api.md, "The gift object").
GIFT_STATUS = {
    "active": "Active",
    "depleted": "Used up",
    # NewStore's balance of 0: a card used up and a disabled one read the same (its answer
    # has no status), so the till says only what it knows (posapp/adapters/newstore.py).
    "empty": "Nothing to spend",
    "expired": "Expired",
    "not_yet_usable": "Not usable yet",
    "disabled": "Disabled",
    "canceled": "Canceled",
    "location_not_allowed": "Another shop's card",
    # Square's PENDING and BLOCKED cards (posapp/adapters/square.py)
    "not_activated": "Not sold yet",
    "blocked": "Blocked",
}

# A card a cash-out closed: the provider says "disabled", the cashier reads this.
CASHED_OUT = "Cashed out"

CARD_KIND = {"monetary": "Money", "item": "Item"}

# The provider's state of a transaction.
TRANSACTION_STATE = {"completed": "Done", "reversed": "Reversed"}

# The shift list's state column: what the cashier needs to know of each line.
JOURNAL_STATE = {
    "completed": "done",
    "declined": "declined",
    "pending": "not confirmed yet",
    "unknown": "not confirmed yet",
}
SETTLED = {"completed": "settled: done", "declined": "settled: not charged"}
NOT_SENT_STATE = "not sent"  # the provider never got it: nothing happened (core.entry)
# A transaction a later reversal undid (the journal's reversal entry moved money), or whose
# reversal is still to settle.
REVERSED = {"done": "reversed", "to_settle": "being reversed"}

# What a manager PIN approves (config.md `manager.require_pin_for`).
PIN_ACTION = {
    "reverse": "Reverse a transaction",
    "cash_out": "Pay a card out in cash",
    "refund": "Refund to a new card",
    "settings": "Change settings and close the shift",
    "cards": "Manage gift cards",
}

# Receipt titles, in capitals as a thermal printer prints them.
RECEIPT_TITLE = {
    "redemption": "GIFT CARD REDEMPTION",
    "reversal": "GIFT CARD REVERSAL",
    "cash_out": "GIFT CARD CASH-OUT",
    "activation": "GIFT CARD SOLD",
    "issue": "REFUND TO GIFT CARD",
    "void": "GIFT CARD VOIDED",
    "balance": "GIFT CARD BALANCE",
    "x_report": "X REPORT (SHIFT SO FAR)",
    "z_report": "Z REPORT (SHIFT CLOSED)",
    "settled": "SETTLED: NOW CONFIRMED",
    "sale": "PAID WITH GIFT CARDS",
    "sale_cancelled": "SALE CANCELLED",
}

# config.md's sections and keys, as the settings screen and `posapp check` name them.
SETTING_SECTION = {
    "store": "Store",
    "terminal": "This till",
    "provider": "Gift card provider",
    "scanner": "Scanner",
    "patterns": "Card patterns",
    "printer": "Printer",
    "receipt": "Receipts",
    "manager": "Manager",
    "denominations": "Cards for sale",
    "sale": "Card sales",
    "offline": "Selling while the provider is down",
    "journal": "Journal",
    "window": "Window",
}
SETTING = {
    "store.name": "Store name",
    "store.address": "Address lines on receipts",
    "store.location_name": "Till name on receipts",
    "store.locale": "Language for amounts",
    "store.jurisdiction": "State, for its cash-out law (US-CA)",
    "terminal.cashier": "Cashier's name on receipts",
    "terminal.language": "Language of screens and receipts",
    "provider.api": "Kind of provider",
    "provider.url": "Provider address",
    "provider.location_id": "Provider's location of this till",
    "provider.stored_value_url": "Adyen Stored Value address",
    "provider.merchant_account": "Adyen merchant account",
    "provider.brand": "Gift card brand (Adyen)",
    "provider.store": "Adyen store of this till",
    "provider.store_id": "NewStore store of this till",
    "provider.value_units": "NewStore amounts in",
    "provider.cash_out_enabled": "NewStore allows cash-outs",
    "provider.timeout_s": "Give up on a call after (seconds)",
    "provider.deadline_s": "Give up on a money call after (seconds; 0: the same)",
    "provider.max_answer_kb": "Largest answer accepted (KB)",
    "provider.cash_out": "How cash-outs are made",
    "provider.ca_bundle": "Certificate authority file",
    "scanner.mode": "Scanner connection",
    "scanner.port": "Scanner port",
    "scanner.baudrate": "Scanner speed (baud)",
    "scanner.terminator": "Scanner line ending",
    "scanner.max_key_gap_ms": "Fastest typing that is a scan (ms)",
    "scanner.prefix": "Text before each scan, removed",
    "scanner.suffix": "Text after each scan, removed",
    "scanner.wedge_map": "USB scanner: characters read back (F12, Calibrate)",
    "scanner.wedge_case": "USB scanner: letters arrive",
    "scanner.wedge_prefix": "USB scanner: text before each scan, removed",
    "scanner.wedge_suffix": "USB scanner: text after each scan, removed",
    "scanner.wedge_aim": "USB scanner: an AIM identifier starts with",
    "patterns.name": "Name",
    "patterns.regex": "Pattern",
    "patterns.lookup": "Look the card up by",
    "patterns.case": "Letter case",
    "patterns.check_digit": "Check digit",
    "printer.transport": "Printer connection",
    "printer.port": "Printer port",
    "printer.baudrate": "Printer speed (baud)",
    "printer.vendor_id": "USB vendor id",
    "printer.product_id": "USB product id",
    "printer.host": "Printer network address",
    "printer.path": "Printer file or device",
    "printer.folder": "Folder for receipt pictures (virtual printer)",
    "printer.paper_width_mm": "Paper width (mm)",
    "printer.codepage": "Printer code page",
    "printer.cut": "Cut the paper",
    "printer.cash_drawer": "Open the cash drawer on cash-out",
    "receipt.logo": "Logo (PNG)",
    "receipt.footer": "Footer lines",
    "receipt.mask_serial": "Hide card numbers but the last four",
    "receipt.sale_card_slips": "A slip for each card of a sale paid with several",
    "manager.pin_hash": "Manager PIN",
    "manager.require_pin_for": "Ask for the manager PIN to",
    "denominations.pricebook": "Name (price book)",
    "denominations.amount": "Amount (in cents)",
    "sale.min_amount": "Smallest amount a card is sold for (in cents)",
    "sale.max_amount": "Largest amount a card is sold for (in cents)",
    "offline.floor": "Most one card may pay offline (in cents; 0: off)",
    "offline.shift_limit": "Most a shift may take offline in all (in cents; 0: off)",
    "offline.card_seen_days": "Only cards seen online within this many days",
    "journal.path": "Journal file",
    "window.fullscreen": "Fill the screen",
}

# The choices of config.md's keys that take one of a few words.
CHOICE: dict[str, dict[Any, str]] = {
    "provider.api": {
        "posapp": "posapp's own API",
        "square": "Square",
        "adyen": "Adyen",
        "newstore": "NewStore",
    },
    "provider.value_units": {"major": "Major units (12.5)", "minor": "Minor units (1250)"},
    "provider.cash_out": {
        "endpoint": "The provider's cash-out",
        "redeem": "Redeem the whole balance",
    },
    "terminal.language": {
        "": "The computer's",
        "en": "English",
        "de": "Deutsch",
        "fr": "Français",
        "es": "Español",
    },
    "scanner.mode": {"wedge": "USB keyboard", "serial": "Serial port", "both": "Both"},
    "scanner.terminator": {"CR": "CR", "LF": "LF", "CRLF": "CR LF"},
    "scanner.wedge_case": {"keep": "As sent", "invert": "In the other case"},
    "patterns.lookup": {"code": "Card code", "public_token": "QR code token"},
    "patterns.case": {"upper": "Upper case", "lower": "Lower case", "keep": "As scanned"},
    "patterns.check_digit": {"none": "None", "luhn": "Luhn"},
    "printer.transport": {
        "serial": "Serial port",
        "usb": "USB",
        "network": "Network",
        "file": "File or device",
        "virtual": "Virtual (pictures)",
        "none": "No printer",
    },
    "printer.paper_width_mm": {80: "80 mm", 58: "58 mm"},
    "manager.require_pin_for": PIN_ACTION,
}


def transaction(name: str) -> str:
    return TRANSACTION.get(name, _fallback(name))


def setting(key: str) -> str:
    """`store.location_name` -> "Till name on receipts"."""
    return SETTING.get(key, _fallback(key.rsplit(".", 1)[-1]))


def choice(key: str, value: object) -> str:
    return CHOICE.get(key, {}).get(value, _fallback(str(value)))


def entry_state(entry: Entry, reversal: Entry | None = None) -> str:
    """`shift_state` of a journal entry; "not sent" for one the provider never got."""
    if entry.never_sent:
        return NOT_SENT_STATE
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
    """ "1 item", "2 items"."""
    return f"{quantity} {one if quantity == 1 else (many or one + 's')}"


def items(quantity: int, label: str | None) -> str:
    """An item gift's quantity with its item's name: "1 × Coffee"."""
    return f"{quantity} × {label or 'item'}"


def day(when: datetime) -> str:
    """A date as receipts and screens say it: 24 Oct 2026."""
    return f"{when.day} {when:%b %Y}"


def _fallback(name: str) -> str:
    # A value the tables do not know yet (a newer provider): its words, not its spelling.
    return name.replace("_", " ").capitalize()
