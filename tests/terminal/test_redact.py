"""The log redactor and the receipts' mask against every code shape api.md allows (issue 18.9):
property tests over generated codes, tokens and the log lines that carry them."""

from __future__ import annotations

import base64
import json
import logging
import re
import string
from datetime import UTC, datetime
from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from posapp.app import Engine
from posapp.core.receipt import Receipt
from posapp.core.serial_number import mask
from posapp.redact import Redactor, hide, install, remember_sent
from posapp.terminal.ports import ProviderError

# api.md, Conventions: a code "may hold letters, digits, spaces and dashes, 1 to 64 characters".
CODE_ALPHABET = string.ascii_letters + string.digits + " -"
codes = st.text(CODE_ALPHABET, min_size=1, max_size=64).filter(lambda c: c.strip(" -"))
# Whatever a log line holds around it: any text, on one line.
around = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\n"), max_size=40)

# How a code reaches a log line: a request body, a dict's repr, a query (the admin list by
# code), a keyword argument, pydantic's refusal, Square's gift card number.
CONTEXTS = [
    lambda code: json.dumps({"code": code}),
    lambda code: repr({"code": code, "amount": 100}),
    lambda code: f"GET http://127.0.0.1:8765/v1/gift-cards?code={quote_plus(code)}&limit=1",
    lambda code: f"validate(code={code!r})",
    lambda code: json.dumps({"public_token": code}),
    lambda code: json.dumps({"gift_card": {"gan": code, "state": "ACTIVE"}}),
]


def as_word(code: str) -> re.Pattern[str]:
    """The code where it stands as a word of its own (not inside a longer run of letters)."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(code.strip())}(?![A-Za-z0-9])")


@settings(max_examples=500)
@given(codes, st.sampled_from(range(len(CONTEXTS))), around, around, around)
def test_a_code_is_masked_where_a_key_names_it_and_wherever_it_comes_again(
    code: str, context: int, before: str, after: str, later: str
) -> None:
    redactor = Redactor()
    carried = CONTEXTS[context](code)
    line = redactor.redact(before + carried + after)
    assert carried not in line
    # Later, in words that name no key (an exception's text, say), whatever precedes it.
    again = redactor.redact(f"{later}card {code} was declined; {code.upper()}")
    assert not as_word(code).search(again), again
    assert not as_word(code.upper()).search(again), again


@settings(max_examples=300)
@given(around, st.text(string.digits, min_size=6, max_size=19), around)
def test_a_card_number_is_masked_without_a_key_in_one_run_or_in_groups(
    before: str, digits: str, after: str
) -> None:
    grouped = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    dashed = grouped.replace(" ", "-")
    for number in (digits, grouped, dashed, f"SVS_GC-{digits}"):
        line = Redactor().redact(f"{before} {number} {after}")
        assert number not in line


urlsafe = string.ascii_letters + string.digits + "-_"
tokens = st.one_of(
    st.text(urlsafe, min_size=8, max_size=43).map(lambda t: "pgc_" + t),  # posapp's
    st.text(urlsafe, min_size=60, max_size=60).map(lambda t: "EAAA" + t),  # Square's
    st.text(urlsafe, min_size=22, max_size=40).map(lambda t: "sq0atp-" + t),  # Square's older
)


@settings(max_examples=300)
@given(tokens, around, around)
def test_a_token_is_removed_whatever_precedes_it(token: str, before: str, after: str) -> None:
    for carried in (token, f"Bearer {token}", f"Authorization: {token}", f"token={token}"):
        assert token not in Redactor().redact(before + carried + after)


@settings(max_examples=300)
@given(st.text(urlsafe + ".~+/", min_size=8, max_size=80), around, around)
def test_a_configured_token_is_removed_whatever_its_shape(
    token: str, before: str, after: str
) -> None:
    assert token not in Redactor((token,)).redact(before + token + after)


@settings(max_examples=500)
@given(st.binary(min_size=18, max_size=18), codes, around, around)
def test_a_public_token_or_code_once_sent_is_masked_wherever_it_comes(
    raw: bytes, code: str, before: str, after: str
) -> None:
    """The reference provider's public tokens are secrets.token_urlsafe(18), 24 characters; a
    token of letters only, or a code of two letters, has no shape to tell it from words: the
    adapters hand every code and public token they send to the redactor first
    (ProviderHttp._exchange), so whatever carries it later is masked."""
    token = base64.urlsafe_b64encode(raw).decode()
    redactor = Redactor()
    root = logging.getLogger()
    root.addHandler(handler := logging.NullHandler())
    handler.addFilter(redactor)
    try:
        remember_sent({"public_token": token}, {"code": code, "limit": 1})
        remember_sent({"idempotency_key": "k", "gift_card": {"gan": code + "X"}})
    finally:
        root.removeHandler(handler)
    line = redactor.redact(f"{before} {token} {after} card {code}: {code}X declined")
    assert token not in line
    # The token's own last four stay, as a serial's do; a short code may happen to be
    # among them ("****AA-0" and the code "AA"), which shows nothing of the code.
    rest = line.replace(mask(token, "*"), "")
    assert not as_word(code).search(rest), line
    assert not as_word(code + "X").search(rest), line


def test_the_client_hands_what_it_sends_to_the_redactor(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """Through the real client and provider: a code of two characters, scanned and sent,
    then carried by a later log line."""
    root = logging.getLogger()
    redactor = install()
    caplog.handler.addFilter(redactor)
    try:
        with pytest.raises(ProviderError):
            engine.client.validate(code="Q7")
        logging.getLogger("posapp.test").warning("card Q7 was not found; q7 either")
    finally:
        caplog.handler.removeFilter(redactor)
        for handler in root.handlers:
            handler.removeFilter(redactor)
    assert "card ** was not found; ** either" in caplog.text


@pytest.mark.parametrize(
    "words",
    [
        "a plain sentence, 42 items",
        "ssl.SSLCertVerificationError: certificate verify failed",
        "answer to POST /v1/gifts/validate refused: Idempotent-Replayed missing",
        'problem {"code": "insufficient_balance", "status": 422}',
        "the bearer of this card, Basic checks passed",
        "entry 12 settled: declined (gift_not_found)",
    ],
)
def test_words_that_carry_no_secret_pass_as_they_are(words: str) -> None:
    assert Redactor().redact(words) == words


def test_the_tokens_read_from_the_keyring_are_removed_from_every_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`install()` runs before the keyring is read; app.build_engine hands the token over."""
    root = logging.getLogger()
    redactor = install()
    caplog.handler.addFilter(redactor)
    try:
        hide("tok.en/with+odd~shape")
        logging.getLogger("posapp.test").warning("sent tok.en/with+odd~shape")
    finally:
        caplog.handler.removeFilter(redactor)
        for handler in root.handlers:
            handler.removeFilter(redactor)
    assert "tok.en/with+odd~shape" not in caplog.text
    assert "sent [token]" in caplog.text


# --- the one mask, on receipts --------------------------------------------------------------


def receipt(kind: str, code: str) -> Receipt:
    return Receipt(
        kind=kind,  # type: ignore[arg-type]
        store_name="Shop",
        header=(),
        location="Till 1",
        cashier="",
        when=datetime(2026, 11, 22, tzinfo=UTC),
        serial_number=code,
    )


@settings(max_examples=300)
@given(codes, st.sampled_from(["redemption", "reversal", "cash_out", "activation", "balance"]))
def test_a_receipt_never_prints_a_card_code_whole_but_the_refund_cards(
    code: str, kind: str
) -> None:
    """A code of four or fewer was printed whole ("the last four" of it)."""
    from hardware.printers.decode import decode
    from posapp.adapters.printer import lay_out

    shown = receipt(kind, code).shown_serial
    assert shown is not None
    assert len(shown) == len(code)
    assert shown.count("*") >= min(len(code), 4)
    lines = decode(lay_out(receipt(kind, code))).lines
    (at,) = [i for i, line in enumerate(lines) if line.startswith("Card")]
    # The ESC/POS bytes print it masked: beside its label, or under it when both do not fit
    # on one line (a long code), the label never cut ("Car ****...").
    # The card's lines end at the rule under them (a line of dashes the paper's width; when
    # the code goes under its label, the label's line is shorter than the rule).
    end = next(i for i in range(at, len(lines)) if lines[i] and set(lines[i]) == {"-"})
    card = lines[at:end]
    printed = card[0].removeprefix("Card") + "".join(card[1:])
    assert card[0] == "Card" or card[0].startswith("Card ")
    assert printed.replace(" ", "") == shown.replace(" ", "")
    assert receipt("issue", code).shown_serial == code  # the refund card: the customer needs it
