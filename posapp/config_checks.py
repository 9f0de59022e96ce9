"""Checks of the config's text and values that take more than a comparison (issue 18.6).

Each answers None, or the rest of one sentence after "key: ", saying what is wrong and what
to give instead. A value that passes here is one the till can use as it is: no address that
fails at the first call, no time-out that overflows a timer, no file that crashes the reader.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from posapp.core.money import AmountError, check_locale
from posapp.core.serials import PatternError, SerialPattern, compile_pattern
from posapp.i18n import _

# Lists and tables nested deeper than this are refused before the TOML reader sees them:
# Python's tomllib reads nesting by recursion and fails at about 300 to 500 levels with a
# RecursionError. A posapp config nests 2 deep ([[patterns]], inline tables); 8 is ample.
MAX_NESTING = 8

# A TOML text's strings and comments (whose brackets do not nest anything), and its brackets.
# Multi-line strings first; a closing run of quotes may hold one or two of the string's own
# (TOML 1.0, "String"). Text the pattern cannot place counts as nothing: tomllib refuses it.
_NESTING_TOKENS = re.compile(
    r'"""(?:\\[\s\S]|[^\\])*?"""(?!")|"""(?:\\[\s\S]|[^\\])*?""""{1,2}'
    r"|'''[\s\S]*?'''(?!')|'''[\s\S]*?''''{1,2}"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|[\[\]{}]"
)

BOM = "\ufeff"


def without_bom(text: str) -> str:
    """The text without a UTF-8 byte-order mark in front: Windows' Notepad writes one, and
    TOML's reader calls it an "Invalid statement"."""
    return text[1:] if text.startswith(BOM) else text


def nesting_problem(text: str) -> str | None:
    """Lists or tables nested past MAX_NESTING, with the line where it happens."""
    depth = 0
    for token in _NESTING_TOKENS.finditer(text):
        sign = token.group()
        if sign in "[{":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, token.start()) + 1
                said = _(
                    "lists or tables nested more than {most} deep (line {line}); a posapp "
                    "config nests 2 deep at most"
                )
                return said.format(most=MAX_NESTING, line=line)
        elif sign in "]}":
            depth = max(depth - 1, 0)
    return None


def _shown(value: float) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:20] + "…"


def bounded(
    high: float, unit: str = "", *, zero_means_off: bool = False
) -> Callable[[float], str | None]:
    """A check that the number is finite, above zero (or exactly zero, when zero means the
    key is not used) and at most `high`: a time-out of inf or 1e300 passed before and
    overflowed at the first call, and nan compared false with everything."""

    def check(value: float) -> str | None:
        most = f"{high:g}{unit}"
        if isinstance(value, float) and math.isnan(value):
            return _("nan is not a number; give one up to {most}").format(most=most)
        if zero_means_off and value < 0:
            return _("{value} must be zero (not used) or above").format(value=_shown(value))
        if value <= 0 and not zero_means_off:
            return _("{value} must be above zero").format(value=_shown(value))
        if value > high:
            said = _("{value} is more than {most}, the most this key takes")
            return said.format(value=_shown(value), most=most)
        return None

    return check


def _host_problem(host: str) -> str | None:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    if host.isascii():
        labels = host.rstrip(".").split(".")
        if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
            return NOT_A_HOST
        return None
    import idna  # httpx's own IDNA codec: a name it takes is one it can send

    try:
        idna.encode(host.lower())  # as httpx does (httpx._urlparse)
    except (idna.IDNAError, UnicodeError):
        return NOT_A_HOST
    return None


# A DNS label: letters, digits, "-" inside (RFC 1123); "_" too, as private networks use it.
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@")
NOT_A_HOST = "not a host"  # _host_problem's finding; url_problem says it in words
EXAMPLE_URL = "http://127.0.0.1:8765"
EXAMPLE_HTTPS = "https://gift.example.com"


def url_problem(value: str) -> str | None:
    """An http:// or https:// base address the HTTP client can call as it is."""
    if _USERINFO.match(value):  # said before anything that would show the address
        return _(
            "the address holds a user name or password, and secrets never live in the config "
            "file: give the address alone and store the token with `posapp set-token`"
        )
    shown = repr(value) if len(value) <= 60 else repr(value[:56]) + "…"
    said = _address_problem(value)
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        said = _(
            "{value} holds a space or a control character; give the address alone, such as "
            "{example} or {https}"
        )
    if said is None:
        return None
    try:
        host = repr(urlsplit(value).hostname)
    except ValueError:
        host = ""
    return said.format(value=shown, host=host, example=EXAMPLE_URL, https=EXAMPLE_HTTPS)


def _address_problem(value: str) -> str | None:
    """url_problem's finding on an address without spaces, its placeholders unfilled."""
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1": an IPv6 address left open
        return _(
            "{value} is not an address (it is cut short); give one such as {example} or {https}"
        )
    try:
        port = parts.port
    except ValueError:  # "Port out of range 0-65535", "could not be cast to integer"
        return _(
            "{value}: its port is not a number from 1 to 65535; give one such as {example} or "
            "{https}"
        )
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return _("{value} is not an http:// or https:// address such as {example} or {https}")
    if port == 0:
        return _(
            "{value}: port 0 cannot be called; give the provider's port (1 to 65535), such as "
            "{example} or {https}"
        )
    if parts.query or parts.fragment:
        return _(
            "{value}: a base address has no ?query or #fragment; give it such as {example} or "
            "{https}"
        )
    if _host_problem(parts.hostname):
        return _(
            "{value}: {host} is not a host name or an IP address; give one such as {example} "
            "or {https}"
        )
    return None


def ca_bundle_problem(value: str) -> str | None:
    """A file of CA certificates in PEM form that TLS can load (an empty value: the system's).
    Checked here, not at the first call: a file that is no PEM failed building the client."""
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        return _not_a_file(value)
    import ssl

    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError):
        said = _(
            "{value} holds no certificate TLS can read; give the provider's CA certificate as "
            "a PEM file (it starts with {begin}), or leave it empty"
        )
        return said.format(value=repr(value), begin="-----BEGIN CERTIFICATE-----")
    return None


STANDARD_BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


def baudrate_problem(value: int) -> str | None:
    if value in STANDARD_BAUDRATES:
        return None
    rates = ", ".join(map(str, STANDARD_BAUDRATES))
    return _("{value} is not a standard rate; use one of {rates}").format(
        value=str(value)[:20], rates=rates
    )


def locale_problem(value: str) -> str | None:
    try:
        check_locale(value)
    except AmountError as exc:
        return str(exc)
    return None


def existing_file_problem(value: str) -> str | None:
    missing = value and not Path(value).expanduser().is_file()
    return _not_a_file(value) if missing else None


def _not_a_file(value: str) -> str:
    said = _("{value} is not a file on this machine; give a full path, or leave it empty")
    return said.format(value=repr(value))


def codepage_problem(value: str) -> str | None:
    from hardware.printers.escpos import CODE_PAGES  # the ones ESC t can select

    if value not in CODE_PAGES:
        shown = repr(value)[:40]
        said = _("{value} is not a code page the printer can select; use one of {pages}")
        return said.format(value=shown, pages=", ".join(CODE_PAGES))
    return None


USB_ID = bounded(0xFFFF, zero_means_off=True)  # 16 bits (USB 2.0, 9.6.1)


def non_empty_problem(value: str) -> str | None:
    return None if value.strip() else _("must not be empty")


def one_character_problem(value: str) -> str | None:
    """[scanner] wedge_aim: the one character an AIM identifier's "]" arrives as."""
    if len(value) <= 1:
        return None
    return _('one character (what ] arrives as, e.g. "+" on a German layout), not {value}').format(
        value=repr(value[:10])
    )


def pattern_problem(pattern: SerialPattern) -> str | None:
    """A [[patterns]] table whose regex the scanner's engine compiles."""
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        return _("regex ({name}): {why}").format(name=pattern.name, why=exc)
    return None


class AdyenKeys(Protocol):
    """config.md's [provider] keys that Adyen reads (issue 21), as ProviderConfig has them."""

    @property
    def api(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def stored_value_url(self) -> str: ...
    @property
    def merchant_account(self) -> str: ...
    @property
    def brand(self) -> str: ...
    @property
    def store(self) -> str: ...


# Adyen's own limit on `store` (StoredValue v46: 1 to 16 characters).
STORE_MAX = 16
_LOOPBACK_NAMES = {"localhost", "localhost."}
BASES = {
    "url": "https://checkout-test.adyen.com/v71",
    "stored_value_url": "https://pal-test.adyen.com/pal/servlet/StoredValue/v46",
}


def plain_http_problem(value: str) -> str | None:
    """An http:// address that is not on this machine: Adyen's API key would cross the
    network in clear text (loopback stays: the fake Adyen of the tests and the demo)."""
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme != "http" or host in _LOOPBACK_NAMES:
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    said = _(
        "{value} is plain http:// to another machine, and the API key would travel "
        "unencrypted: give Adyen's https:// address"
    )
    return said.format(value=repr(value))


def adyen_problem(keys: AdyenKeys) -> str | None:
    """The first problem of the Adyen keys (the rest of "key: ..."), or None. Keys Adyen
    alone reads, set for another API, are refused as a typo would be."""
    if keys.api != "adyen":
        for name in ("stored_value_url", "merchant_account", "brand", "store"):
            if getattr(keys, name):
                return _("{key}: only used with {setting}").format(
                    key=name, setting='api = "adyen"'
                )
        return None
    from posapp.core.card_brands import brand_problem

    for name in ("url", "stored_value_url"):
        value = getattr(keys, name)
        if not value:
            said = (
                _("{key}: Adyen needs its Checkout API's base, such as {example}")
                if name == "url"
                else _("{key}: Adyen needs its Stored Value API's base, such as {example}")
            )
            return said.format(key=name, example=BASES[name])
        problem = url_problem(value) or plain_http_problem(value)
        if problem:
            return f"{name}: {problem}"
    if not keys.merchant_account.strip():
        said = _(
            "{key}: Adyen needs the merchant account the till's payments go to (Adyen's "
            "Customer Area, the account's name at the top)"
        )
        return said.format(key="merchant_account")
    if not keys.brand:
        return _("{key}: Adyen needs the cards' brand, such as {example}").format(
            key="brand", example='"givex"'
        )
    problem = brand_problem(keys.brand)
    if problem:
        return f"brand: {problem}"
    if len(keys.store) > STORE_MAX or keys.store != keys.store.strip():
        said = _(
            "{key}: {value} is not an Adyen store id (1 to {most} characters, no spaces "
            "around); leave it out when the till has none"
        )
        return said.format(key="store", value=repr(keys.store[:40]), most=STORE_MAX)
    return None


class NewStoreKeys(Protocol):
    """config.md's [provider] keys that NewStore reads (issue 22), as ProviderConfig has them."""

    @property
    def api(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def store_id(self) -> str: ...
    @property
    def value_units(self) -> str: ...
    @property
    def cash_out_enabled(self) -> bool: ...


def newstore_problem(keys: NewStoreKeys) -> str | None:
    """The first problem of the NewStore keys, or None; set for another API, a typo."""
    if keys.api != "newstore":
        only = _("{key}: only used with {setting}")
        setting = 'api = "newstore"'
        if keys.store_id:
            return only.format(key="store_id", setting=setting)
        if keys.value_units != "major":
            return only.format(key="value_units", setting=setting)
        if keys.cash_out_enabled:
            return only.format(key="cash_out_enabled", setting=setting)
        return None
    if plain_http_problem(keys.url):
        said = _(
            "{key}: {value} is plain http:// to another machine, and the NewStore token would "
            "travel unencrypted: give the tenant's {example}"
        )
        return said.format(
            key="url", value=repr(keys.url), example="https://<tenant>.x.newstore.net/v0/c"
        )
    if not keys.store_id.strip():
        said = _(
            "{key}: NewStore needs this till's store id (NewStore's store configuration), sent "
            "with each balance check and cash-out"
        )
        return said.format(key="store_id")
    return None
