"""[offline]: selling gift cards while the provider cannot be reached (issue 24), in minor
units like every amount of the file. Off by default: floor and shift_limit both 0. Its own
module: config.py is at the size the house allows (tests/test_module_sizes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from posapp.config_checks import bounded
from posapp.config_read import checked
from posapp.core.money import MAX_AMOUNT
from posapp.core.offline import OfflineRules
from posapp.i18n import _

# The longest a card's last known balance is trusted for: a year. Past that it is not a
# balance the store knows.
MOST_DAYS = 365


@dataclass(frozen=True, slots=True)
class OfflineConfig:
    """floor: the most one card may pay while the provider is unreachable (0: off);
    shift_limit: the most all offline redemptions of a shift may add up to; card_seen_days:
    only cards seen online, with a known balance, this recently."""

    floor: int = field(default=0, metadata=checked(bounded(MAX_AMOUNT, zero_means_off=True)))
    shift_limit: int = field(default=0, metadata=checked(bounded(MAX_AMOUNT, zero_means_off=True)))
    card_seen_days: int = field(default=30, metadata=checked(bounded(MOST_DAYS, " days")))

    @property
    def rules(self) -> OfflineRules:
        return OfflineRules(self.floor, self.shift_limit, self.card_seen_days)


def offline_problem(offline: OfflineConfig) -> str | None:
    """Both amounts or neither: one alone would look on and stay off; a floor above the
    shift's limit could never be taken whole."""
    if (offline.floor > 0) != (offline.shift_limit > 0):
        said = _(
            "floor is {floor} and shift_limit is {limit}: offline selling needs both above zero "
            "(on), or both 0 (off)"
        )
        return said.format(floor=offline.floor, limit=offline.shift_limit)
    if offline.floor > offline.shift_limit:
        said = _(
            "floor ({floor}) is above shift_limit ({limit}): one card may not pay more offline "
            "than the whole shift may take"
        )
        return said.format(floor=offline.floor, limit=offline.shift_limit)
    return None
