"""`posapp check`'s lines for what the store chose for its counter (trial 6B, 9: IT could not
confirm from `check` that these took effect): the language, the cash-out law of
`[store] jurisdiction` (which law, its threshold today, and that the till pays out under it
even where the provider's cash-outs are off) and offline selling (`[offline]`)."""

from __future__ import annotations

from datetime import date

from posapp.config import Config
from posapp.core.cash_out_law import LAWS, CashOutLaw
from posapp.core.money import format_money
from posapp.i18n import N_, _, from_environment

NAMES = {"en": N_("English"), "de": N_("German"), "fr": N_("French"), "es": N_("Spanish")}
LANGUAGE = N_("Language: {name} ({code}), from [terminal] language")
LANGUAGE_OS = N_("Language: {name} ({code}), the system's ([terminal] language is empty)")
NO_JURISDICTION = N_(
    "Cash-out law: none ([store] jurisdiction is empty): cash-outs only as the provider allows"
)
NO_LAW = N_(
    "Cash-out law: none known for {jurisdiction} today: cash-outs only as the provider allows"
)
LAW_LT = N_(
    "Cash-out law: {statute} ({jurisdiction}): a card holding less than {threshold} is paid "
    "out in cash when the customer asks, even where the provider's cash-outs are off"
)
LAW_LE = N_(
    "Cash-out law: {statute} ({jurisdiction}): a card holding at most {threshold} is paid "
    "out in cash when the customer asks, even where the provider's cash-outs are off"
)
OFFLINE_OFF = N_(
    "Offline selling: off ([offline] floor and shift_limit are 0): every gift card is "
    "refused while the provider cannot be reached"
)
OFFLINE_ON = N_(
    "Offline selling: on while the provider cannot be reached, up to {floor} a card and "
    "{limit} a shift, only cards seen online in the last {days} days"
)
SMALLEST = N_("{amount} (the currency's smallest units)")


def law_today(jurisdiction: str, on: date) -> CashOutLaw | None:
    """The store's law in force on `on` (None: none known)."""
    return next(
        (law for law in LAWS if law.jurisdiction == jurisdiction and law.in_force(on)), None
    )


def store_rules(config: Config, currency: str | None, today: date) -> list[str]:
    """The three lines; amounts as money once the provider said the store's currency."""
    locale = config.store.locale

    def money(minor: int, in_currency: str | None = currency) -> str:
        if in_currency is None:
            return _(SMALLEST).format(amount=minor)
        return format_money(minor, in_currency, locale)

    chosen = config.terminal.language
    code = chosen or from_environment()
    said = _(LANGUAGE if chosen else LANGUAGE_OS).format(name=_(NAMES[code]), code=code)
    lines = [said]
    jurisdiction = config.store.jurisdiction
    law = law_today(jurisdiction, today) if jurisdiction else None
    if not jurisdiction:
        lines.append(_(NO_JURISDICTION))
    elif law is None:
        lines.append(_(NO_LAW).format(jurisdiction=jurisdiction))
    else:
        said = LAW_LT if law.rule == "lt" else LAW_LE  # less than, or at most
        lines.append(
            _(said).format(
                statute=law.statute,
                jurisdiction=jurisdiction,
                threshold=money(law.threshold, law.currency),
            )
        )
    rules = config.offline.rules
    if not rules.on:
        lines.append(_(OFFLINE_OFF))
    else:
        lines.append(
            _(OFFLINE_ON).format(
                floor=money(rules.floor),
                limit=money(rules.shift_limit),
                days=rules.card_seen_days,
            )
        )
    return lines
