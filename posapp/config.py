"""The terminal's config file (config.md): TOML into frozen dataclasses.

Every problem names its key and says what is expected, all problems at once, so the person
setting up the till fixes the file in one go. Unknown keys are errors (a typo must not
silently fall back to a default). Secrets never live here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from posapp.config_checks import (
    USB_ID,
    adyen_problem,
    baudrate_problem,
    bounded,
    ca_bundle_problem,
    codepage_problem,
    locale_problem,
    nesting_problem,
    newstore_problem,
    non_empty_problem,
    pattern_problem,
    url_problem,
    without_bom,
)
from posapp.config_offline import OfflineConfig, offline_problem
from posapp.config_read import TableChecks, build, checked
from posapp.config_receipt import ReceiptConfig
from posapp.config_scanner import ScannerConfig
from posapp.core.cash_out_law import jurisdiction_problem
from posapp.core.errors import ForPeople
from posapp.core.money import MAX_AMOUNT, AmountError, check_amount
from posapp.core.offers import offers_for
from posapp.core.serials import SerialPattern, SerialPatterns
from posapp.core.settings import ReceiptHeading, TillSettings
from posapp.i18n import _

MAX_CONFIG_BYTES = 256 * 1024


class ConfigError(ValueError, ForPeople):
    """The config cannot be used. `problems` lists each, naming its key."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True, slots=True)
class StoreConfig:
    """[store]: the shop, on receipts and in amounts."""

    name: str = field(default="Corner Books", metadata=checked(non_empty_problem))
    address: tuple[str, ...] = ("12 Main Street", "Springfield")
    location_name: str = "Till 1"
    # Not in config.md's first draft: how amounts are typed and shown ("12,50" in de_DE).
    locale: str = field(default="en_US", metadata=checked(locale_problem))
    # Where the store is, as ISO 3166-2 ("US-CA"): the cash-out law the till follows
    # (core/cash_out_law.py, issue 25.3); empty: none.
    jurisdiction: str = field(default="", metadata=checked(jurisdiction_problem))


@dataclass(frozen=True, slots=True)
class TerminalConfig:
    """[terminal]: this till."""

    # The name printed on receipts; empty: no cashier line (a per-shift sign-in can give one).
    cashier: str = ""
    # The language of the screens, receipts and reports (posapp/i18n.py); empty: the OS
    # locale's (LANG), else English. Amounts and dates follow [store] locale.
    language: Literal["", "en", "de", "fr", "es"] = ""


# The provider APIs the terminal speaks (provider.api), in words for `posapp check`. A third
# API adds its name here, its adapter in posapp/adapters and one branch in adapters/providers.py.
API_NAMES = {
    "posapp": "posapp's own gift card API (the reference provider's)",
    "square": "Square's Gift Cards API",
    "adyen": "Adyen's Checkout and Stored Value APIs",
    "newstore": "NewStore's Gift Card API",
}


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """[provider]: the gift card provider and how long to wait for it."""

    # Which API the provider speaks: "posapp" (api.md) or "square" (Square's Gift Cards
    # API). Only the adapter built for it in app.py knows; the rest of the terminal does not.
    api: Literal["posapp", "square", "adyen", "newstore"] = "posapp"
    url: str = field(default="http://127.0.0.1:8765", metadata=checked(url_problem))
    # One deadline for a whole call, retries included (issue 13: a trickled answer held a
    # validate 49 s when it bounded each read); deadline_s, when above zero, is the one for
    # money calls instead, which retry with the same key before leaving an outcome unknown.
    # Bounded: a cashier does not wait longer, and inf or 1e300 overflowed the first call.
    timeout_s: float = field(default=10.0, metadata=checked(bounded(120, " s")))
    deadline_s: float = field(
        default=0.0, metadata=checked(bounded(600, " s", zero_means_off=True))
    )
    # Larger answers are refused unread (a 100 MB answer cost the terminal 385 MB); a money
    # call so answered is left unknown, to settle.
    max_answer_kb: int = field(default=1024, metadata=checked(bounded(64 * 1024, " KB")))
    cash_out: Literal["endpoint", "redeem"] = "endpoint"
    ca_bundle: str = field(default="", metadata=checked(ca_bundle_problem))
    location_id: str = ""  # square: the Square location this till belongs to
    # adyen (issue 21): `url` is the Checkout API's base; the Stored Value API's base, the
    # merchant account, the cards' brand as Adyen names it, and this till's Adyen store.
    stored_value_url: str = ""
    merchant_account: str = ""
    brand: str = ""
    store: str = ""
    # newstore (issue 22, docs/newstore.md): `url` is the tenant's Gift Card API base
    # (https://<tenant>.x.newstore.net/v0/c); this till's NewStore store id; the units of
    # NewStore's `value`; and NewStore's cash_out_enabled, which its API gives a till no read of.
    store_id: str = ""
    value_units: Literal["major", "minor"] = "major"
    cash_out_enabled: bool = False


def _provider(provider: ProviderConfig) -> str | None:
    if provider.api == "square" and not provider.location_id.strip():
        return (
            "location_id: Square needs the location this till belongs to (Square's "
            "Dashboard, Locations; or GET /v2/locations)"
        )
    if provider.api != "square" and provider.location_id:
        return 'location_id: only used with api = "square"; a posapp token knows its location'
    return adyen_problem(provider) or newstore_problem(provider)


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """[printer]: the receipt printer and its paper."""

    transport: Literal["serial", "usb", "network", "file", "virtual", "none"] = "virtual"
    # serial: the device (a str); network: the TCP port (an int, 9100 when left out).
    port: str | int = ""
    baudrate: int = field(default=19200, metadata=checked(baudrate_problem))
    vendor_id: int = field(default=0, metadata=checked(USB_ID))
    product_id: int = field(default=0, metadata=checked(USB_ID))
    host: str = ""
    path: str = ""
    # virtual: the folder each receipt is saved to as a picture; empty: nothing is printed,
    # and the till says it has no printer (issue 19: it said "receipt printed").
    folder: str = ""
    paper_width_mm: Literal[80, 58] = 80
    codepage: str = field(default="cp437", metadata=checked(codepage_problem))
    cut: bool = True
    cash_drawer: bool = True

    @property
    def network_port(self) -> int:
        return self.port if isinstance(self.port, int) else 9100

    @property
    def columns(self) -> int:
        from hardware.printers.escpos import columns

        return columns(self.paper_width_mm)


PinAction = Literal["reverse", "cash_out", "refund", "settings", "cards"]


@dataclass(frozen=True, slots=True)
class ManagerConfig:
    """[manager]: the PIN and what it guards."""

    pin_hash: str = ""
    require_pin_for: tuple[PinAction, ...] = ("reverse", "cash_out", "refund", "settings", "cards")


@dataclass(frozen=True, slots=True)
class Denomination:
    """[[denominations]]: a price book and its amount, to sell cards."""

    pricebook: str = field(default="", metadata=checked(non_empty_problem))
    amount: int = 0


@dataclass(frozen=True, slots=True)
class SaleConfig:
    """[sale]: what a card may be sold for (F5), in minor units like every amount here
    (cents: 500 is $5.00). Issue 19.3: typing "25" sold a $0.25 card. Refused in words
    before any call; the denominations must be within it too."""

    min_amount: int = field(default=500, metadata=checked(bounded(MAX_AMOUNT)))
    max_amount: int = field(default=50000, metadata=checked(bounded(MAX_AMOUNT)))


def _sale(sale: SaleConfig) -> str | None:
    if sale.min_amount > sale.max_amount:
        said = _(
            "min_amount ({low}) is above max_amount ({high}): the smallest sale must not be "
            "above the largest"
        )
        return said.format(low=sale.min_amount, high=sale.max_amount)
    return None


@dataclass(frozen=True, slots=True)
class JournalConfig:
    """[journal]: where the journal lives."""

    path: str = ""


@dataclass(frozen=True, slots=True)
class WindowConfig:
    """[window]: fullscreen or a 1024x768 window."""

    # true: the window fills the screen, with or without a window manager (a till whose X
    # session runs posapp alone); false: a 1024x768 window among others.
    fullscreen: bool = False


DEFAULT_PATTERNS = (
    SerialPattern("SVS gift card", r"^SVS_GC-(\d{15})$", "code", "upper", "none"),
    SerialPattern("Voucher, typed", r"^(\d{12})$", "code", "keep", "none"),
)


@dataclass(frozen=True, slots=True)
class Config:
    """The whole file (config.md)."""

    store: StoreConfig = StoreConfig()
    terminal: TerminalConfig = TerminalConfig()
    provider: ProviderConfig = ProviderConfig()
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    patterns: tuple[SerialPattern, ...] = DEFAULT_PATTERNS
    printer: PrinterConfig = PrinterConfig()
    receipt: ReceiptConfig = field(default_factory=ReceiptConfig)
    manager: ManagerConfig = ManagerConfig()
    denominations: tuple[Denomination, ...] = (
        Denomination("gift-card-300", 30000),
        Denomination("gift-card-500", 50000),
    )
    sale: SaleConfig = SaleConfig()
    offline: OfflineConfig = field(default_factory=OfflineConfig)
    journal: JournalConfig = JournalConfig()
    window: WindowConfig = WindowConfig()


# --- loading ------------------------------------------------------------------------------


def parse_config(text: str, source: str = "config") -> Config:
    """The Config for a TOML text, or ConfigError listing every problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CONFIG_BYTES:
        said = _("{source}: larger than {most} KiB; not a config")
        raise ConfigError([said.format(source=source, most=MAX_CONFIG_BYTES // 1024)])
    text = without_bom(text)
    nested = nesting_problem(text)
    if nested:
        raise ConfigError([f"{source}: {nested}"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        said = _("{source}: not valid TOML ({error})").format(source=source, error=exc)
        raise ConfigError([said]) from exc
    except RecursionError as exc:  # past what nesting_problem sees: still one sentence
        said = _("{source}: nested too deep to read; not a config").format(source=source)
        raise ConfigError([said]) from exc
    return config_from_dict(data)


def config_from_dict(data: Mapping[str, object]) -> Config:
    """The Config for TOML's tables, or ConfigError listing every problem."""
    problems: list[str] = []
    config = build(Config, data, "", problems, _TABLE_CHECKS)
    if problems:
        raise ConfigError(problems)
    assert isinstance(config, Config)
    problems = _printer_checks(config.printer) + _denominations_on_sale(config)
    if problems:
        raise ConfigError(problems)
    return config


def _denominations_on_sale(config: Config) -> list[str]:
    """Each denomination is a sale: within [sale] min_amount and max_amount."""
    sale = config.sale
    said = _(
        "denominations #{number}.amount: {amount} is outside what a card is sold for ([sale] "
        "min_amount {low} to max_amount {high})"
    )
    return [
        said.format(number=i, amount=d.amount, low=sale.min_amount, high=sale.max_amount)
        for i, d in enumerate(config.denominations, 1)
        if not sale.min_amount <= d.amount <= sale.max_amount
    ]


def load_config(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        said = _("{path}: cannot be read ({error})").format(path=path, error=exc.strerror)
        raise ConfigError([said]) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([_("{path}: not UTF-8 text").format(path=path)]) from exc
    return parse_config(text, str(path))


def example_config_text() -> str:
    from importlib import resources  # only on first run: not worth its import at start

    return resources.files("posapp.assets").joinpath("posapp.example.toml").read_text("utf-8")


def ensure_config(path: Path) -> Path:
    """config.md: a missing file is created from the example on first run."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example_config_text(), encoding="utf-8")
    return path


def _printer_checks(printer: PrinterConfig) -> list[str]:
    problems = []
    if printer.transport == "network":
        if not printer.host:
            problems.append(_("printer.host: the network printer's address is missing"))
        if isinstance(printer.port, str) and printer.port:
            problems.append(_("printer.port: a network printer's port is a number such as 9100"))
        elif isinstance(printer.port, int) and not 0 < printer.port < 65536:
            said = _("printer.port: {port} is not a TCP port (1 to 65535)")
            problems.append(said.format(port=str(printer.port)[:20]))
    if printer.transport == "serial" and not (isinstance(printer.port, str) and printer.port):
        problems.append(_("printer.port: a serial printer needs its device, such as /dev/ttyUSB0"))
    if printer.transport == "file" and not printer.path:
        problems.append(_("printer.path: the file or device to print to is missing"))
    if printer.transport == "usb" and not (printer.vendor_id and printer.product_id):
        problems.append(_("printer.vendor_id, printer.product_id: a USB printer needs both"))
    if printer.folder and printer.transport != "virtual":
        said = _("printer.folder: only the virtual printer ({setting}) saves")
        problems.append(said.format(setting='transport = "virtual"'))
    elif printer.folder and Path(printer.folder).expanduser().is_file():
        said = _("printer.folder: {folder} is a file; name a folder")
        problems.append(said.format(folder=repr(printer.folder)))
    return problems


def _denomination(denomination: Denomination) -> str | None:
    try:
        check_amount(denomination.amount, "USD")
    except AmountError as exc:
        return f"amount: {denomination.amount}: {exc}"
    return None


# Checks that need the whole table; each answers the rest of "key: problem", or None.
_TABLE_CHECKS: TableChecks = {
    SerialPattern: pattern_problem,
    Denomination: _denomination,
    SaleConfig: _sale,
    OfflineConfig: offline_problem,
    ProviderConfig: _provider,
}


def till_settings(config: Config) -> TillSettings:
    """What the till's use cases read of the config (the terminal imports no config): its
    card patterns compiled once, here."""
    store, receipt = config.store, config.receipt
    prices: dict[str, int] = {}
    for denomination in config.denominations:  # the first of a price book counts
        prices.setdefault(denomination.pricebook, denomination.amount)
    return TillSettings(
        locale=store.locale,
        heading=ReceiptHeading(
            store.name, store.address, store.location_name, receipt.footer, receipt.mask_serial
        ),
        cashier=config.terminal.cashier,
        cash_out=config.provider.cash_out,
        prices=MappingProxyType(prices),
        sale=(config.sale.min_amount, config.sale.max_amount),
        patterns=SerialPatterns.load(config.patterns),
        offline=config.offline.rules,
        sale_card_slips=receipt.sale_card_slips,
        offers=offers_for(config.provider.api),
    )
