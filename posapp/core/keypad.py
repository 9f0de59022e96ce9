"""The one amount entry of the till (redeem, sell, refund, the manager's forms). Pure.

POS style: digits shift in from the right (1, 12, 125 shows 1.25). A decimal mark ("." on
every keyboard, or the locale's own sign, "," in de_DE) switches to decimals: the digits
typed so far become the whole part and the next ones fill the decimals ("20.5" is 20.50).
The entry is the keys typed, so BackSpace undoes exactly the last key. A key that is not a
digit or a decimal mark, a second mark, a decimal past the currency's places, or a key that
would pass the maximum is refused with AmountError and leaves the entry as it was.

A refused key leaves the entry "in doubt" (`refuse`): the amount on show is not what the
cashier meant ("12,5" in en_US would otherwise go on to $1.25). While in doubt every key but
BackSpace is refused too, so the amount stays as it was, and the till refuses Enter.
BackSpace then starts the amount again: the amount on show is a part of what the cashier
meant ("12" of "12,5"), and taking back only the wrong key left $0.12 one Enter away (a
second cashier trial did exactly that).

A key refused because it would pass the maximum keeps the amount it would have made
(`refused`): the field shows that amount, the one the words refuse ("$20.00 is more than
that"), not the $2.00 before it, which looked like an amount ready to go (issue 19.11).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from posapp.core.money import MAX_AMOUNT, AmountError, decimals, format_money
from posapp.i18n import N_, _, ngettext

DIGITS = frozenset("0123456789")
# Leading zeros add nothing; the bound keeps a held key from growing the text for ever.
MAX_KEYS = 24
FIX_FIRST = N_("Fix the amount first: BackSpace starts it again, Esc cancels")


class Refused(AmountError):
    """An amount refused as a whole (`amount`): the field keeps showing it, in the refusal's
    colour, until BackSpace starts the amount again."""

    def __init__(self, words: str, amount: int) -> None:
        super().__init__(words)
        self.amount = amount


class TooMuch(Refused):
    """A key that would pass the maximum; `amount` is what the keys would have made."""


@dataclass(frozen=True, slots=True)
class AmountEntry:
    """The keys typed so far, and the amount they make."""

    currency: str
    maximum: int = MAX_AMOUNT  # what the card can pay; never above api.md's limit
    locale: str = "en_US"
    keys: str = ""  # digits, and at most one "." (the decimal mark, however it was typed)
    doubt: str = ""  # why a key was refused, until BackSpace or a clear: Enter waits for that
    refused: int | None = None  # while in doubt over the maximum: the amount refused
    # Whose maximum it is, for the words that refuse a key past it: what the card can pay,
    # or the most a card is sold for ([sale] max_amount: the trial's $600.00 stood in black
    # on Sell until Enter, while Redeem refused a key past a card's value as it was typed).
    # Offline (issue 24), what the card may pay now: the least of the store's floor, what
    # the shift may still take and its last known balance (trial 6B: refused only at Enter).
    ceiling: Literal["card", "sale", "offline"] = "card"

    @property
    def limit(self) -> int:
        return min(self.maximum, MAX_AMOUNT)

    @property
    def minor(self) -> int:
        return _value(self.keys, decimals(self.currency))

    @property
    def in_decimals(self) -> bool:
        return "." in self.keys

    def marks(self) -> frozenset[str]:
        """The keys that switch to decimals here."""
        return frozenset({".", get_decimal_symbol(self.locale)})

    def press(self, key: str) -> AmountEntry:
        """One key: a digit, "00", a decimal mark or "BackSpace"; AmountError if refused."""
        if key == "BackSpace":
            if self.doubt:
                return self._with("")  # start again: what is on show is only part of the amount
            return self._with(self.keys[:-1])
        if self.doubt:
            raise AmountError(_(FIX_FIRST))
        if key == "00":
            return self.press("0").press("0")
        if key in self.marks():
            if decimals(self.currency) == 0:
                said = _("{currency} has no minor units: enter a whole amount")
                raise AmountError(said.format(currency=self.currency))
            if self.in_decimals:
                raise AmountError(_("The amount has its decimal mark already"))
            key = "."  # the digits so far become the whole part: "1" then "." is 1.00
        elif key not in DIGITS:
            raise AmountError(self._not_a_key(key))
        keys = self.keys + key
        places = decimals(self.currency)
        if self.in_decimals and len(keys.split(".")[1]) > places:
            # Said as the cashier sees it ("USD has 2 decimals" read as trivia, trial 23).
            said = ngettext(
                "Only {count} digit goes after the decimal mark",
                "Only {count} digits go after the decimal mark",
                places,
            )
            raise AmountError(said.format(count=places))
        if len(keys) > MAX_KEYS:
            raise AmountError(_("That is too many keys for an amount"))
        if _value(keys, places) > self.limit:
            raise TooMuch(self._too_much(_value(keys, places)), _value(keys, places))
        return self._with(keys)

    def refuse(self, error: AmountError) -> AmountEntry:
        """The entry after a refused key: the same amount, in doubt (the first reason kept,
        and with it the amount it refused, if it refused one)."""
        if self.doubt:
            return self
        refused = error.amount if isinstance(error, Refused) else None
        return replace(self, doubt=str(error), refused=refused)

    def on_show(self) -> str:
        """What the field shows: the amount, or while in doubt over the maximum the amount
        refused (the field draws it in the refusal's colour)."""
        if self.doubt and self.refused is not None:
            return self._shown(self.refused)
        return self.shown()

    def fix_first(self) -> str:
        """While in doubt: why, and what to do ("… like 12.50. Fix the amount first: …")."""
        return _("{why}. {fix_first}").format(why=self.doubt.rstrip("."), fix_first=_(FIX_FIRST))

    def _too_much(self, typed: int) -> str:
        """Plain words: what the card holds, and that the amount the key made is more."""
        most, amount = self._shown(self.limit), self._shown(typed)
        if self.ceiling == "sale" and self.maximum < MAX_AMOUNT:
            said = _("A card is sold for {most} at most; {amount} is more than that.")
        elif self.ceiling == "offline":
            said = _(
                "Offline, this card may pay at most {most} now; {amount} is more than that: "
                "take the rest another way."
            )
        elif self.maximum < MAX_AMOUNT:  # the card's own limit (what it can pay now)
            said = _("This card holds {most}; {amount} is more than that.")
        else:
            said = _("{amount} is more than one transaction can be; the most is {most}.")
        return said.format(most=most, amount=amount)

    def like(self) -> str:
        """ "Type the amount like 12.50": the keys this entry takes, in the locale's mark."""
        places = decimals(self.currency)
        if not places:
            return _("Type the amount like {example}").format(example="1250")
        example = format_decimal(Decimal("12.5"), "0." + "0" * places, locale=self.locale)
        return _("Type the amount like {example}").format(example=example)

    def hint(self) -> str:
        """How the keys fill the amount (POS style), for the amount overlay."""
        places = decimals(self.currency)
        if not places:
            said = _("Digits make the whole amount: 1 2 5 0 is {amount}")
            return said.format(amount=self._shown(1250))
        mark = get_decimal_symbol(self.locale)
        said = _(
            "Digits fill from the cents: 1 2 5 is {amount}. “{mark}” starts the cents: "
            "{typed} is {decimal}"
        )
        return said.format(
            amount=self._shown(125),
            mark=mark,
            typed=f"12{mark}5",
            decimal=self._shown(125 * 10**places // 10),
        )

    def _not_a_key(self, key: str) -> str:
        """Why a key that is no digit and no decimal mark is refused, and what to type."""
        if decimals(self.currency) and key == get_group_symbol(self.locale):
            # en_US "," groups thousands: "12,5" would be taken for 1.25 if it were dropped.
            said = _("“{key}” is not used in amounts here. {like}")
            return said.format(key=key, like=self.like())
        if not decimals(self.currency):
            return _("Only digits here. {like}").format(like=self.like())
        marks = sorted(self.marks())
        if len(marks) == 1:
            said = _("Only digits and “{mark}” here. {like}")
            return said.format(mark=marks[0], like=self.like())
        said = _("Only digits and “{mark}” or “{other}” here. {like}")
        return said.format(mark=marks[0], other=marks[1], like=self.like())

    def _shown(self, minor: int) -> str:
        return format_money(minor, self.currency, self.locale)

    def type(self, text: str) -> AmountEntry:
        """Several keys; the first refused one raises (the entry is not changed)."""
        entry = self
        for key in text:
            entry = entry.press(key)
        return entry

    def clear(self) -> AmountEntry:
        return self._with("")

    def shown(self) -> str:
        return format_money(self.minor, self.currency, self.locale)

    def _with(self, keys: str) -> AmountEntry:
        return replace(self, keys=keys, doubt="", refused=None)


def _value(keys: str, places: int) -> int:
    if "." not in keys:
        return int(keys or "0")  # shifted in from the right: the digits are minor units
    whole, fraction = keys.split(".")
    scale: int = 10**places
    return int(whole or "0") * scale + int(fraction.ljust(places, "0") or "0")
