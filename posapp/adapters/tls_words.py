"""What failed when TLS to the provider failed, in words a person setting up the till acts on
(issue 18.10: an untrusted or misnamed certificate read "cannot be reached: check the
network", which sent people to the cables).

A certificate check fails during the handshake, before any request is sent: nothing happened
at the provider, and trying again a moment later fails the same way, so it is said at once.
The numbers are OpenSSL's X509_V_ERR_* codes (x509_vfy.h), as ssl.SSLCertVerificationError
carries them in `verify_code`.
"""

from __future__ import annotations

import ssl

NOT_TRUSTED = frozenset({2, 20, 21})  # no issuer known here, or no way to check the signature
SELF_SIGNED = frozenset({18, 19})  # the certificate, or its chain's root, signed by itself
OTHER_HOST = frozenset({62, 64})  # HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH
EXPIRED, NOT_YET_VALID, REVOKED = 10, 9, 23

# Handshake failures that are not about the certificate: SSLError.reason.
NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"})
NO_COMMON = frozenset(
    {
        "UNSUPPORTED_PROTOCOL",
        "NO_PROTOCOLS_AVAILABLE",
        "TLSV1_ALERT_PROTOCOL_VERSION",
        "SSLV3_ALERT_HANDSHAKE_FAILURE",
        "NO_SHARED_CIPHER",
        "NO_CIPHERS_AVAILABLE",
    }
)


def _ssl_error(error: BaseException) -> ssl.SSLError | None:
    """The ssl error under httpx's and httpcore's ConnectError, if there is one."""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        if isinstance(found, ssl.SSLError):
            return found
        seen.add(id(found))
        found = found.__cause__ or found.__context__
    return None


def tls_failure(error: BaseException, host: str, ca_bundle: str = "") -> str | None:
    """Words for a TLS handshake that failed, or None when `error` is no TLS failure."""
    found = _ssl_error(error)
    if found is None:
        return None
    if isinstance(found, ssl.SSLCertVerificationError):
        return _certificate(found.verify_code, found.verify_message, host, ca_bundle)
    reason = found.reason or ""
    if reason in NOT_TLS:
        return (
            f"The gift card provider at {host} does not answer in TLS (https): if it is "
            "served over plain HTTP, provider.url begins with http://"
        )
    if reason in NO_COMMON:
        return (
            f"This till and the gift card provider at {host} have no TLS version or cipher in "
            "common: the provider must offer TLS 1.2 or later"
        )
    if "CERTIFICATE_REQUIRED" in reason:
        return (
            f"The gift card provider at {host} asks for a client certificate, which posapp "
            "does not send: ask the provider for a token instead"
        )
    return (
        f"The TLS connection to the gift card provider at {host} failed "
        f"({reason or found.__class__.__name__}): ask the provider to check its TLS set-up"
    )


def _certificate(code: int, message: str, host: str, ca_bundle: str) -> str:
    what = "The provider's certificate"
    if code in NOT_TRUSTED | SELF_SIGNED:
        kind = " is self-signed and" if code in SELF_SIGNED else ""
        if ca_bundle:
            return (
                f"{what}{kind} is not signed by the CA in ca_bundle ({ca_bundle}): put the "
                "certificate of the CA that signed it in that file (PEM)"
            )
        return (
            f"{what}{kind} is not trusted: set `ca_bundle` in [provider] to the certificate of "
            "the CA that signed it (a PEM file), or give the provider a certificate from a "
            "public CA"
        )
    if code in OTHER_HOST:
        return (
            f"{what} is for another host, not {host}: put the name the certificate gives in "
            f"provider.url, or give the provider a certificate for {host}"
        )
    if code == EXPIRED:
        return (
            f"{what} has expired: the provider must renew it (if it was renewed, check this "
            "till's date and time)"
        )
    if code == NOT_YET_VALID:
        return f"{what} is not valid yet: check this till's date and time"
    if code == REVOKED:
        return f"{what} was revoked: the provider must replace it"
    return f"{what} was refused ({message}): ask the provider to check its certificate"
