"""What the provider's API offers the till, as a frozen value the till's state holds (the
NewStore trial, 6 Dec 2026, findings 1 and 5: F2, F3, F6, F7 and a scanned receipt's void ran
the amount pad, the confirm and even the manager's PIN before NewStore refused; F7 on a
cash-out told the cashier "the customer hands back the $12.50 cash" first). The composition
root gives the till the API's offers from config (provider.api); the keys refuse at once, in
the words the provider's client would refuse with. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from posapp.core.glossary import Words
from posapp.i18n import N_

# NewStore's Gift Card API has no call for these (docs/newstore.md): where the card is used,
# at the NewStore checkout (the Associate App). Each read in the language in use.
NEWSTORE_REFUSED: Mapping[str, str] = Words(
    {
        "redemption": N_(
            "NewStore gift cards are spent at the NewStore checkout (the Associate App), not "
            "at this till: take the card there"
        ),
        "reversal": N_(
            "NewStore gift card payments and cash-outs are not undone at this till: the card "
            "is spent or refunded at the NewStore checkout (the Associate App), not at this till"
        ),
        "issue": N_(
            "A refund to a NewStore gift card is made at the NewStore checkout (the Associate "
            "App), not at this till: it issues the new card"
        ),
        "void": N_(
            "NewStore cannot undo a card sold from this till: the card stays sold, and is "
            "spent or refunded at the NewStore checkout (the Associate App), not at this till"
        ),
    }
)
# A greyed key's short reason ("Redeem: at the NewStore checkout"); _(where) where shown.
NEWSTORE_WHERE = N_("at the NewStore checkout")


@dataclass(frozen=True, slots=True)
class Offers:
    """The operations the provider's API has no call for, each with the words that say so
    (empty: it offers them all), and the greyed key's short reason."""

    refused: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    where: str = ""

    def refusal(self, operation: str) -> str | None:
        """Why the till does not offer this operation ("redemption", "reversal", "issue",
        "void"), in words; None when it does."""
        return self.refused.get(operation)


ALL = Offers()
NEWSTORE = Offers(NEWSTORE_REFUSED, NEWSTORE_WHERE)


def offers_for(api: str) -> Offers:
    """The offers of config.md's provider.api."""
    return NEWSTORE if api == "newstore" else ALL
