from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from posapp.adyen_fake.app import CHECKOUT, STORED_VALUE, FakeAdyen
from posapp.adyen_fake.demo_cards import DEMO_BRAND, demo_adyen
from posapp.app import Engine, build_engine
from posapp.config import Config
from posapp.newstore_fake.app import BASE as NEWSTORE_BASE
from posapp.newstore_fake.app import FakeNewStore
from posapp.newstore_fake.demo_cards import demo_newstore
from posapp.provider.app import create_app
from posapp.provider.demo import make_demo_store
from posapp.provider.ledger import now_us
from posapp.provider.store import KEY_RETENTION_HOURS, Store
from posapp.square_fake.app import FakeSquare, demo_square
from tests.faultproxy import FaultProxy
from tests.helpers import LiveServer

# Both APIs the terminal speaks: the engine suites (faults, SIGKILL, settling,
# reconciliation) run against each with `pytestmark = pytest.mark.parametrize("api", APIS)`.
APIS = ["posapp", "square", "adyen"]
# NewStore's Gift Card API checks, sells and cashes out only (no redemption, which the suites
# above are made of): its engine suite is tests/terminal/test_newstore.py.
NEWSTORE_STORE = "dodici-milano"  # the till's NewStore store id in its config


@dataclass
class Provider:
    """The provider the terminal talks to, whichever API: read back from its own side."""

    api: str
    server: LiveServer
    made: dict[str, Any]  # terminal_token, cards; posapp also admin_token, store_id...
    proxy: FaultProxy
    store: Store | None = None  # posapp: the reference provider's storage
    fake: FakeSquare | None = None  # square: the fake's state
    adyen: FakeAdyen | None = None  # adyen: the fake's state
    newstore: FakeNewStore | None = None  # newstore: the fake's state (its ledger, movements)

    def code(self, shows: str) -> str:
        return next(c["code"] for c in self.made["cards"] if c["shows"] == shows)

    @property
    def token(self) -> str:
        return str(self.made["terminal_token"])

    def config(self, url: str, **provider: Any) -> Config:
        """The till's config for this provider at `url` (the proxy's, or the server's): for
        Adyen both bases (issue 21.1's keys) are on that one address."""
        if self.fake is not None:
            provider = {"api": "square", "location_id": self.fake.location_id, **provider}
        if self.newstore is not None:
            provider = {
                "api": "newstore",
                "store_id": NEWSTORE_STORE,
                "cash_out_enabled": True,
                **provider,
            }
            url = url + NEWSTORE_BASE
        if self.adyen is not None:
            provider = {
                "api": "adyen",
                "stored_value_url": url + STORED_VALUE,
                "merchant_account": self.adyen.merchant_account,
                "brand": DEMO_BRAND,
                **provider,
            }
            url = url + CHECKOUT
        return terminal_config(url, **provider)

    def balance(self, code: str) -> int:
        if self.newstore is not None:
            card = self.newstore.card(code)
            assert card is not None
            held = card["balance"]
            assert isinstance(held, int)
            return held
        if self.adyen is not None:
            card = self.adyen.card(code)
            assert card is not None
            balance = card["balance"]
            assert isinstance(balance, int)
            return balance
        if self.fake is not None:
            card = self.fake.by_gan(code)
            assert card is not None
            return int(card["balance_money"]["amount"])
        headers = {"Authorization": f"Bearer {self.made['admin_token']}"}
        gifts = httpx.get(
            f"{self.server.url}/v1/gift-cards", params={"code": code}, headers=headers
        ).json()
        return int(gifts[0]["balance"])

    def forget_keys(self) -> None:
        """The provider no longer remembers the idempotency keys it was sent: Square's fake
        drops them; the reference provider is started again (a Store on its database) with
        its clock three days ahead, and purges them as a start past its retention does."""
        if self.newstore is not None:
            self.newstore.forget_keys()
            return
        if self.adyen is not None:
            self.adyen.forget_keys()
            return
        if self.fake is not None:
            self.fake.forget_keys()
            return
        assert self.store is not None
        ahead = 3 * 24 * 3600 * 1_000_000
        Store(
            self.store.url,
            pool_size=1,
            key_retention_hours=KEY_RETENTION_HOURS,
            clock=lambda: now_us() + ahead,
        ).close()

    @property
    def cancels_payments(self) -> bool:
        """Adyen has no look-up of a payment by the till's reference: a payment left unknown
        is canceled by its merchant reference, settled "not charged" (README "Adyen"), where
        the others find it by reference and settle it as done."""
        return self.api == "adyen"

    def charged(self) -> list[str]:
        """The redemptions that hold the card's money now: Adyen's payments not canceled or
        reversed since; the others' redemptions as they list them."""
        if self.adyen is not None:
            return [p.pspReference for p in self.adyen.by_psp.values() if p.status == "authorised"]
        return self.redemptions()

    def redemptions(self) -> list[str]:
        """The ids of every redemption the provider holds (Adyen: the pspReference of every
        payment that took money, undone since or not)."""
        if self.newstore is not None:  # NewStore's Gift Card API redeems nothing
            return []
        if self.adyen is not None:
            return [p.pspReference for p in self.adyen.by_psp.values() if p.took_money()]
        if self.fake is not None:
            return [a["id"] for a in self.fake.activities if a["type"] == "REDEEM"]
        headers = {"Authorization": f"Bearer {self.made['admin_token']}"}
        txns = httpx.get(
            f"{self.server.url}/v1/transactions", params={"type": "redemption"}, headers=headers
        ).json()
        return [t["id"] for t in txns]


@pytest.fixture
def api() -> str:
    """The API of `provider`: the reference provider's unless a module parametrizes it."""
    return "posapp"


@pytest.fixture
def provider(api: str, tmp_path: Path) -> Iterator[Provider]:
    """The real reference provider, or the fake Square or Adyen, over loopback HTTP with the
    demo cards, behind a proxy that can be told to misbehave."""
    if api == "newstore":
        newstore, cards = demo_newstore()
        server = LiveServer(newstore.app())
        proxy = FaultProxy(server.port)
        made = {"terminal_token": newstore.token, "admin_token": None, "cards": cards}
        yield Provider(api, server, made, proxy, newstore=newstore)
        proxy.close()
        server.stop()
        return
    if api == "adyen":
        adyen, cards = demo_adyen()
        # Adyen sells only a card its issuer knows (a blank card, inactive): the suites'
        # other blank cards, as an issuer would have them.
        for blank in ("700000000000001", "700000000000002", "700000000000123"):
            adyen.add_card(blank, 0, "inactive", brand=DEMO_BRAND)
        server = LiveServer(adyen.app())
        proxy = FaultProxy(server.port)
        made = {"terminal_token": adyen.api_key, "cards": cards}
        yield Provider(api, server, made, proxy, adyen=adyen)
        proxy.close()
        server.stop()
        return
    if api == "square":
        fake, cards = demo_square()
        server = LiveServer(fake.app())
        proxy = FaultProxy(server.port)
        made = {"terminal_token": fake.token, "cards": cards}
        yield Provider(api, server, made, proxy, fake=fake)
        proxy.close()
        server.stop()
        return
    store = Store(f"sqlite:///{tmp_path / 'provider.db'}", pool_size=5)
    made = make_demo_store(store)
    server = LiveServer(create_app(store))
    proxy = FaultProxy(server.port)
    yield Provider(api, server, made, proxy, store=store)
    proxy.close()
    server.stop()
    store.close()


def terminal_config(url: str, **provider: Any) -> Config:
    # 5 s for a whole call, retries included: on a loaded machine 2 s was sometimes too
    # little for a check through the proxy (the deadline tests measure against this value).
    config = Config()
    return replace(
        config, provider=replace(config.provider, url=url, **{"timeout_s": 5.0, **provider})
    )


@pytest.fixture
def engine(provider: Provider, tmp_path: Path) -> Iterator[Engine]:
    made = build_engine(
        provider.config(provider.proxy.url),
        token=provider.token,
        journal=tmp_path / "journal.db",
        start_settler=False,
    )
    made.client.backoff = (0.01, 0.02, 0.05)
    made.settler.backoff = (0.05, 0.1)
    yield made
    made.close()
