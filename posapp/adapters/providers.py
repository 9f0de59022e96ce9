"""The one place that knows which API the provider speaks (house rule 14): `posapp run`
(app.py) and `posapp check` (check.py) both build their client here.

A third API adds its adapter and one branch in `provider_for`, and one value of config.md's
provider.api. The adapters are imported where they are built: the till shows its window first
and loads the network stack (httpx, pydantic) while the cashier looks at it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from posapp.config import Config

if TYPE_CHECKING:
    import httpx

    from posapp.adapters.adyen import AdyenClient
    from posapp.adapters.api_client import ProviderClient
    from posapp.adapters.newstore import NewStoreClient
    from posapp.adapters.provider_http import HttpSettings
    from posapp.adapters.square import SquareClient


def http_settings(
    config: Config,
    *,
    transport: httpx.BaseTransport | None = None,
    backoff: tuple[float, ...] | None = None,
) -> HttpSettings:
    """config.md's [provider] HTTP keys as one value, the same for every API's client."""
    from posapp.adapters.provider_http import DEFAULT_HTTP, HttpSettings

    provider = config.provider
    return HttpSettings(
        timeout_s=provider.timeout_s,
        deadline_s=provider.deadline_s or None,
        max_answer_bytes=provider.max_answer_kb * 1024,
        ca_bundle=provider.ca_bundle,
        transport=transport,
        backoff=DEFAULT_HTTP.backoff if backoff is None else backoff,
    )


def provider_for(
    config: Config,
    token: str,
    *,
    transport: httpx.BaseTransport | None = None,
    backoff: tuple[float, ...] | None = None,
) -> ProviderClient | SquareClient | AdyenClient | NewStoreClient:
    """The adapter for config.md's provider.api, speaking with the till's token."""
    provider = config.provider
    http = http_settings(config, transport=transport, backoff=backoff)
    locale = config.store.locale
    if provider.api == "square":
        from posapp.adapters.square import SquareClient

        return SquareClient(
            provider.url,
            token,
            location_id=provider.location_id,
            cash_out=provider.cash_out,
            locale=locale,
            http=http,
        )
    if provider.api == "adyen":
        from posapp.adapters.adyen import AdyenClient

        return AdyenClient(
            provider.url,
            token,
            stored_value_url=provider.stored_value_url,
            merchant_account=provider.merchant_account,
            brand=provider.brand,
            store=provider.store,
            locale=locale,
            http=http,
        )
    if provider.api == "newstore":
        from posapp.adapters.newstore import NewStoreClient

        return NewStoreClient(
            provider.url,
            token,
            store_id=provider.store_id,
            value_units=provider.value_units,
            cash_out_enabled=provider.cash_out_enabled,
            locale=locale,
            http=http,
        )
    from posapp.adapters.api_client import ProviderClient

    return ProviderClient(provider.url, token, locale=locale, cash_out=provider.cash_out, http=http)


def admin_for(config: Config, admin_token: str | None) -> ProviderClient | None:
    """The gift cards screen's client: api.md's admin calls with the admin token; None where
    there is no token or the provider is Square or Adyen (their own dashboards)."""
    if not admin_token or config.provider.api != "posapp":
        return None
    from posapp.adapters.api_client import ProviderClient

    # The till's own HTTP settings: a money change waits as a sale (deadline_s).
    return ProviderClient(
        config.provider.url, admin_token, locale=config.store.locale, http=http_settings(config)
    )
