"""api.md "Canceling a movement that never came": POST /v1/transactions/cancel, for the
reference provider's client (ProviderClient takes `cancel` from here: api_client.py is past
its size, tests/test_module_sizes.py).

The settler asks this where it used to send a movement again that the lookup did not find
(terminal/lookup.py): the movement comes back when it happened after all, None when the
provider canceled it, and nothing can move it later (trial till #1/A).
"""

from __future__ import annotations

import logging
from typing import Protocol

from posapp.contract import answers
from posapp.core.gift import Movement
from posapp.core.intent import Intent
from posapp.i18n import _
from posapp.terminal.ports import LookupFailed, NoReference, ProviderError

log = logging.getLogger("posapp.provider_client")


class _Client(Protocol):
    def _read(self, method: str, path: str, model: object, **kwargs: object) -> object: ...
    def _movement(self, answer: answers.MovementAnswer, raw: str = "") -> Movement: ...


class Cancel:
    """ProviderClient's `cancel` (ports.Cancels)."""

    def cancel(self: _Client, intent: Intent, idempotency_key: str) -> Movement | None:
        """The movement if it happened, or None: canceled now, it can never happen.
        LookupFailed when the provider cannot say (no answer, a fault, a provider without
        the call, an answer that does not fit)."""
        reference = intent.client_reference
        if reference is None:
            raise NoReference("This transaction was sent before the till named its movements")
        body = {"client_reference": reference, "idempotency_key": idempotency_key}
        try:
            answer = self._read(
                "POST", "/v1/transactions/cancel", answers.CancelReferenceAnswer, json=body
            )
        except ProviderError as exc:
            raise LookupFailed(
                _("The provider could not cancel it: {why}").format(why=exc)
            ) from exc
        assert isinstance(answer, answers.CancelReferenceAnswer)
        found = answer.movements
        if answer.client_reference == reference and answer.canceled and not found:
            return None
        if answer.canceled or len(found) != 1 or found[0].transaction.client_reference != reference:
            log.warning("cancel of %s answered %d other movements", reference, len(found))
            raise LookupFailed(_("The provider's answer to the cancel does not fit the question"))
        return self._movement(found[0], found[0].model_dump_json())
