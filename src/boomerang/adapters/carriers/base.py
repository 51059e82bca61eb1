"""The carrier provider interface (the port `CarrierRates`): the built-in table provider and real aggregator
adapters plug in here."""

from __future__ import annotations

from boomerang.services.ports.providers import CarrierRates, PurchasedLabel

CarrierProvider = CarrierRates

__all__ = ["CarrierProvider", "PurchasedLabel"]
