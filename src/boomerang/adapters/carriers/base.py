"""The carrier provider interface: the built-in table provider and real aggregator adapters plug in here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from boomerang.domain.addresses import Address
from boomerang.domain.labels import Rate


@dataclass(frozen=True)
class PurchasedLabel:
    carrier: str
    service: str
    tracking_number: str
    rate: Rate


class CarrierProvider(Protocol):
    def rates(self, *, origin_country: str, destination_country: str, currency: str) -> list[Rate]:
        """Every rate for a parcel on this route, priced in `currency`."""
        ...

    def purchase(self, rate: Rate, *, origin: Address, destination: Address, reference: str) -> PurchasedLabel:
        """Buy a label at `rate`; the carrier's tracking number comes back."""
        ...
