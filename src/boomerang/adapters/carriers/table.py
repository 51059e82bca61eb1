"""The built-in carrier provider: rates from a TOML table, labels issued offline.

Tracking numbers follow each carrier's visible format (length, prefix), so they look right on
screens and scanners, but they are generated here: no carrier is contacted.
"""

from __future__ import annotations

import secrets
import string
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from boomerang.adapters.carriers.base import PurchasedLabel
from boomerang.domain.addresses import Address
from boomerang.domain.labels import Rate
from boomerang.domain.money import Money

DEFAULT_RATES_FILE = Path(__file__).with_name("rates.toml")

# carrier -> (prefix, number of random digits or letters, alphabet, suffix)
_TRACKING_FORMATS: dict[str, tuple[str, int, str, str]] = {
    "USPS": ("9405", 18, string.digits, ""),
    "UPS": ("1Z", 16, string.digits + string.ascii_uppercase, ""),
    "FedEx": ("", 12, string.digits, ""),
    "CanadaPost": ("", 16, string.digits, ""),
    "Purolator": ("", 12, string.digits, ""),
    "RoyalMail": ("RM", 9, string.digits, "GB"),
    "Evri": ("H", 15, string.digits + string.ascii_uppercase, ""),
    "DPD": ("", 14, string.digits, ""),
    "DHL": ("00340434", 12, string.digits, ""),
    "Hermes": ("", 14, string.digits, ""),
}


@dataclass(frozen=True)
class TableRate:
    carrier: str
    service: str
    origin_country: str
    cost: Money


class TableRateProvider:
    """Quotes from a configured table; converts to the merchant's currency with its exchange rates."""

    def __init__(self, rates: list[TableRate], usd_per_unit: dict[str, Decimal]) -> None:
        self._rates = rates
        self._usd_per_unit = usd_per_unit

    @classmethod
    def from_file(cls, path: Path) -> TableRateProvider:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        fx = {code: Decimal(str(value)) for code, value in table.get("exchange_rates", {"USD": "1"}).items()}
        return cls([_table_rate(row) for row in table.get("rates", [])], fx)

    def rates(self, *, origin_country: str, destination_country: str, currency: str) -> list[Rate]:
        if origin_country != destination_country:
            return []  # the table holds domestic rates only
        return [
            Rate(r.carrier, r.service, self._convert(r.cost, currency))
            for r in self._rates
            if r.origin_country == origin_country
        ]

    def purchase(self, rate: Rate, *, origin: Address, destination: Address, reference: str) -> PurchasedLabel:
        return PurchasedLabel(rate.carrier, rate.service, tracking_number(rate.carrier), rate)

    def _convert(self, cost: Money, currency: str) -> Money:
        if cost.currency == currency:
            return cost
        try:
            usd = cost.amount * self._usd_per_unit[cost.currency]
            return Money(usd / self._usd_per_unit[currency], currency)
        except KeyError as missing:
            raise ValueError(f"rate table has no exchange rate for {missing}") from None


def _table_rate(row: dict[str, Any]) -> TableRate:
    return TableRate(
        carrier=str(row["carrier"]),
        service=str(row["service"]),
        origin_country=str(row["origin_country"]).upper(),
        cost=Money(Decimal(str(row["cost"])), str(row["currency"])),
    )


def tracking_number(carrier: str) -> str:
    prefix, length, alphabet, suffix = _TRACKING_FORMATS.get(carrier, (carrier[:3].upper(), 12, string.digits, ""))
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length)) + suffix


@lru_cache(maxsize=8)
def provider_for(rates_file: Path | None) -> TableRateProvider:
    """The configured provider (one per rates file, read once per process)."""
    return TableRateProvider.from_file(rates_file or DEFAULT_RATES_FILE)
