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

from posapp.i18n import _

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
        said = _(
            "The gift card provider at {host} does not answer in TLS (https): if it is served "
            "over plain HTTP, provider.url begins with http://"
        )
    elif reason in NO_COMMON:
        said = _(
            "This till and the gift card provider at {host} have no TLS version or cipher in "
            "common: the provider must offer TLS 1.2 or later"
        )
    elif "CERTIFICATE_REQUIRED" in reason:
        said = _(
            "The gift card provider at {host} asks for a client certificate, which posapp "
            "does not send: ask the provider for a token instead"
        )
    else:
        said = _(
            "The TLS connection to the gift card provider at {host} failed ({reason}): ask "
            "the provider to check its TLS set-up"
        )
    return said.format(host=host, reason=reason or found.__class__.__name__)


def _certificate(code: int, message: str, host: str, ca_bundle: str) -> str:
    self_signed = code in SELF_SIGNED
    if code in NOT_TRUSTED | SELF_SIGNED and ca_bundle:
        said = (
            _(
                "The provider's certificate is self-signed and is not signed by the CA in "
                "ca_bundle ({ca_bundle}): put the certificate of the CA that signed it in that "
                "file (PEM)"
            )
            if self_signed
            else _(
                "The provider's certificate is not signed by the CA in ca_bundle ({ca_bundle}): "
                "put the certificate of the CA that signed it in that file (PEM)"
            )
        )
    elif code in NOT_TRUSTED | SELF_SIGNED:
        said = (
            _(
                "The provider's certificate is self-signed and is not trusted: set `ca_bundle` "
                "in [provider] to the certificate of the CA that signed it (a PEM file), or "
                "give the provider a certificate from a public CA"
            )
            if self_signed
            else _(
                "The provider's certificate is not trusted: set `ca_bundle` in [provider] to "
                "the certificate of the CA that signed it (a PEM file), or give the provider a "
                "certificate from a public CA"
            )
        )
    elif code in OTHER_HOST:
        said = _(
            "The provider's certificate is for another host, not {host}: put the name the "
            "certificate gives in provider.url, or give the provider a certificate for {host}"
        )
    elif code == EXPIRED:
        said = _(
            "The provider's certificate has expired: the provider must renew it (if it was "
            "renewed, check this till's date and time)"
        )
    elif code == NOT_YET_VALID:
        said = _("The provider's certificate is not valid yet: check this till's date and time")
    elif code == REVOKED:
        said = _("The provider's certificate was revoked: the provider must replace it")
    else:
        said = _(
            "The provider's certificate was refused ({message}): ask the provider to check its "
            "certificate"
        )
    return said.format(host=host, ca_bundle=ca_bundle, message=message)
