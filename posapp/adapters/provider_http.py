"""What every provider adapter does the same over HTTP: one deadline a call, a size limit
on answers (bounded_http), the retry rules, and which failures mean what.

Every failure becomes one of four errors a use case can act on (terminal/ports.py):
- Declined: the provider answered no in its own contract's words (the adapter's `_decline`
  says which answers those are for a money call); nothing happened.
- Unreachable: the request never reached the provider (connect error or time-out), or a
  read did not finish by its deadline; nothing happened.
- OutcomeUnknown: a money call may have happened (read time-out, reset after sending, 5xx,
  429, an answer its contract does not give, one unreadable or too large). It is retried
  with the same idempotency key while the deadline allows; what stays unknown is settled
  later with that key (house rule 14: never "declined" for an answer the contract lacks).
- BadAnswer: a read got an answer that breaks the contract.

An adapter subclasses ProviderHttp and says only what is its API's: `_refusal` (a read's
4xx in words) and `_decline` (the money-call answers that are a no).
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import NoneType
from typing import Any, TypeVar, cast

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from posapp.adapters import bounded_http
from posapp.adapters.bounded_http import Answer, AnswerRefused
from posapp.adapters.tls_words import tls_failure
from posapp.core.reach import PROVIDER_DOWN
from posapp.i18n import N_, _
from posapp.redact import remember_sent
from posapp.terminal.ports import (
    BadAnswer,
    Declined,
    NotSent,
    OutcomeUnknown,
    ProviderError,
    Unreachable,
)

log = logging.getLogger("posapp.provider_client")

UNKNOWN = N_(
    "No answer from the gift card provider: the transaction is kept to settle and will be "
    "finished when the provider answers"
)
MAX_ANSWER_BYTES = 1024 * 1024
CANNOT_READ = N_(
    "The gift card provider sent an answer the terminal cannot read: "
    "ask for support if it happens again"
)

T = TypeVar("T")


def _verify(ca_bundle: str) -> ssl.SSLContext | bool:
    """The system's CAs, or the config's ca_bundle (checked when the config loaded, but a
    file can go away or change after that)."""
    if not ca_bundle:
        return True
    try:
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        said = _(
            "The ca_bundle file {path} cannot be read as certificates ({error}): give the "
            "provider's CA certificate as a PEM file in [provider] ca_bundle, or leave it empty"
        )
        raise Unreachable(said.format(path=ca_bundle, error=type(exc).__name__)) from exc


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How every adapter talks HTTP, whichever API: config.md's [provider] timeout_s,
    deadline_s, max_answer_kb and ca_bundle, built once (adapters/providers.py) and passed
    whole to each client; `transport`, `backoff` and `sleep` are for tests (the ASGI
    transport, short retries, pauses counted instead of slept)."""

    timeout_s: float = 10.0
    deadline_s: float | None = None  # None: timeout_s
    max_answer_bytes: int = MAX_ANSWER_BYTES
    ca_bundle: str = ""
    transport: httpx.BaseTransport | None = None
    backoff: tuple[float, ...] = (0.1, 0.3, 0.8)
    sleep: Callable[[float], None] = time.sleep


DEFAULT_HTTP = HttpSettings()


class ProviderHttp:
    """Every call has one deadline: `timeout_s` for the whole call, retries included, or
    `deadline_s` for money calls when given (a longer wait for an answer is worth it there:
    what is not answered by then is left to settle)."""

    def __init__(
        self, base_url: str, headers: dict[str, str], http: HttpSettings = DEFAULT_HTTP
    ) -> None:
        timeout_s, ca_bundle, transport = http.timeout_s, http.ca_bundle, http.transport
        verify: ssl.SSLContext | bool = _verify(ca_bundle)
        self.http = httpx.Client(
            base_url=base_url,
            headers={
                **headers,
                "User-Agent": "posapp",
                # A compressed answer could expand past the size limit after it is counted.
                "Accept-Encoding": "identity",
            },
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            transport=transport if transport is not None else bounded_http.transport(verify),
        )
        self.host = self.http.base_url.host
        self.ca_bundle = ca_bundle
        self.timeout_s = timeout_s
        self.deadline_s = http.deadline_s or timeout_s
        self.max_answer_bytes = http.max_answer_bytes
        self.backoff = http.backoff
        self.sleep = http.sleep

    def close(self) -> None:
        self.http.close()

    # --- what each API says for itself ------------------------------------------------------

    def _refusal(self, answer: Answer) -> Declined:
        """A read's 4xx: nothing changed whatever it is, so any 4xx is a no."""
        raise NotImplementedError

    def _decline(self, path: str, answer: Answer) -> Declined | None:
        """A money call's non-2xx answer that its contract gives as a no; None otherwise."""
        raise NotImplementedError

    # --- the shared rules -------------------------------------------------------------------

    def _exchange(self, method: str, path: str, until: float, **kwargs: Any) -> Answer:
        remember_sent(kwargs.get("json"), kwargs.get("params"))  # masked in every log line
        return bounded_http.exchange(
            self.http, method, path, until=until, limit=self.max_answer_bytes, **kwargs
        )

    def _say_tls_failure(self, error: Exception) -> None:
        """A TLS handshake that failed (not trusted, another host's, expired) is said as
        what it is, at once: nothing was sent, and it fails the same way a moment later."""
        if isinstance(error, httpx.ConnectError):
            words = tls_failure(error, self.host, self.ca_bundle)
            if words is not None:
                raise Unreachable(words) from error

    @staticmethod
    def _no_time_for(pause: float, until: float) -> bool:
        """The pause before a retry would end past the deadline."""
        return time.monotonic() + pause >= until

    def _read(self, method: str, path: str, model: type[T], **kwargs: Any) -> T:
        """A call that changes nothing, or an admin change that carries an idempotency key:
        a dropped connection or a 5xx is asked again (harmless either way) while the
        deadline allows; a time-out is said at once (the cashier has waited long enough)."""
        until = time.monotonic() + self.timeout_s
        for pause in (*self.backoff, None):
            try:
                answer = self._exchange(method, path, until, **kwargs)
            except httpx.TimeoutException as exc:
                # No connection in time: never sent (NotSent); a read that timed out was.
                never = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                raise (NotSent if never else Unreachable)(
                    _("The gift card provider did not answer in time: try again")
                ) from exc
            except AnswerRefused as exc:
                log.warning("answer to %s %s refused: %s", method, path, exc)
                raise BadAnswer(_(CANNOT_READ)) from exc
            except httpx.TransportError as exc:  # a read changes nothing: safe to ask again
                self._say_tls_failure(exc)
                if pause is None or self._no_time_for(pause, until):
                    never = isinstance(exc, httpx.ConnectError)  # the last try never left
                    raise (NotSent if never else Unreachable)(_(PROVIDER_DOWN)) from exc
                self.sleep(pause)
                continue
            if answer.status >= 500:
                if pause is None or self._no_time_for(pause, until):
                    said = _("The gift card provider has a fault (HTTP {status}): try again later")
                    raise Unreachable(said.format(status=answer.status))
                self.sleep(pause)
                continue
            if answer.status >= 400:
                raise self._refusal(answer)
            return self._parse(answer, model, BadAnswer)
        raise AssertionError("the loop always returns or raises")  # pragma: no cover

    def _parse(self, answer: Answer, model: type[T], error: type[ProviderError]) -> T:
        """The answer as `model` (`NoneType`: a 204 without content); one that is not is
        refused as `error` in words."""
        if model is NoneType and answer.status == 204:
            return cast(T, None)
        try:
            if issubclass(model, BaseModel):
                return model.model_validate_json(answer.content)
            return TypeAdapter(model).validate_json(answer.content)
        except (ValidationError, ValueError) as exc:
            log.warning(
                "malformed answer to %s %s: %s",
                answer.method,
                answer.path,
                str(exc).splitlines()[0],
            )
            raise error(_(CANNOT_READ)) from exc

    def _post_money(
        self,
        path: str,
        body: Mapping[str, object] | None,
        model: type[T],
        headers: dict[str, str] | None = None,
        *,
        method: str = "POST",
    ) -> T:
        """`_post_money_raw`'s parsed answer."""
        return self._post_money_raw(path, body, model, headers, method=method)[0]

    def _post_money_raw(
        self,
        path: str,
        body: Mapping[str, object] | None,
        model: type[T],
        headers: dict[str, str] | None = None,
        *,
        method: str = "POST",
        ask: Callable[[], tuple[T, str] | None] | None = None,
    ) -> tuple[T, str]:
        """A money movement, once per idempotency key (in `headers` or in `body`, as the
        API wants it), within `deadline_s`: its answer parsed, and as it came (the journal
        keeps an answer that does not add up, core/answer.py). `method`: a manager's money
        change may be a PATCH or DELETE (api.md "Manager changes"); its 204 answers None
        (`model` NoneType).

        Never sent (connect error or time-out): retried, then Unreachable, nothing happened.
        A no the contract gives for this call (`_decline`): nothing happened.
        Anything else may have happened: retried with the same key while the deadline
        allows, then OutcomeUnknown. Before each such retry `ask` (the movement found by
        the till's reference, in the shape its answer has, or None) says whether it already
        happened: a provider whose clock went past its key retention meanwhile forgets the
        key, and the same key would run it again (issue 18.1, no blind resend; the chaos
        campaign's clock jump found an activation declined as "code taken" by its own
        retry). A provider that cannot say leaves it unknown.
        """
        until = time.monotonic() + self.deadline_s
        maybe_sent = False
        for pause in (*self.backoff, None):
            if maybe_sent and ask is not None:
                try:
                    found = ask()
                except ProviderError as exc:
                    log.info("%s: cannot say whether it happened (%s); unknown", path, exc)
                    raise OutcomeUnknown(_(UNKNOWN)) from exc
                if found is not None:
                    log.info("%s found by its reference before it was sent again", path)
                    return found
                if time.monotonic() >= until:  # the ask took what was left: not sent again
                    raise OutcomeUnknown(_(UNKNOWN))
            try:
                answer = self._exchange(method, path, until, json=body, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                if not maybe_sent:  # a later attempt's failure leaves an earlier one unknown
                    self._say_tls_failure(exc)
                # this attempt never left the terminal
            except (httpx.HTTPError, AnswerRefused) as exc:  # sent, or partly: unknown
                maybe_sent = True
                log.info("no answer to %s (%s); retrying with the same key", path, exc)
            else:
                if 200 <= answer.status < 300:
                    raw = answer.content.decode("utf-8", "replace")
                    return self._parse(answer, model, OutcomeUnknown), raw
                maybe_sent = True
                no = self._decline(path, answer)
                if no is not None:
                    raise no
                log.info(
                    "answer to %s not in the contract's no's (HTTP %s, %s); outcome unknown",
                    path,
                    answer.status,
                    answer.media_type or "no content type",
                )
            if pause is None or self._no_time_for(pause, until):
                if maybe_sent:
                    raise OutcomeUnknown(_(UNKNOWN))
                raise NotSent(_(PROVIDER_DOWN))  # every try failed to connect: never sent
            self.sleep(pause)
        raise OutcomeUnknown(_(UNKNOWN))  # pragma: no cover
