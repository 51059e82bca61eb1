"""Return labels: which kinds a merchant may buy or register, and the rates that price them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from boomerang.domain.error_codes import LabelErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.money import Money
from boomerang.domain.products import Category, Product


class LabelType(StrEnum):
    Optimized = "Optimized"
    CarrierSpecific = "CarrierSpecific"
    Prepaid = "Prepaid"


PURCHASED = frozenset({LabelType.Optimized, LabelType.CarrierSpecific})


@dataclass(frozen=True)
class Rate:
    carrier: str
    service: str
    cost: Money


def ships_as_dangerous_goods(product: Product) -> bool:
    """Dangerous goods for shipping: flagged by the merchant, or hazardous by category (even unflagged)."""
    return product.is_dangerous_goods or product.category is Category.HazardousMaterials


def holds_dangerous_goods(products: Iterable[Product]) -> bool:
    """A package holding one dangerous-goods product ships as dangerous goods: Prepaid labels only."""
    return any(ships_as_dangerous_goods(p) for p in products)


def require_purchasable(*, origin_country: str, fc_country: str, has_dangerous_goods: bool) -> None:
    """We buy labels only for domestic returns without dangerous goods (those need the merchant's own label)."""
    if has_dangerous_goods:
        raise ValidationFailed(
            "returns holding a dangerous-goods product (is_dangerous_goods or category HazardousMaterials) "
            "ship only on a Prepaid label",
            code=LabelErrorCode.DANGEROUS_GOODS_REQUIRES_PREPAID,
            details=[FieldError("type", "use Prepaid for dangerous goods")],
        )
    if origin_country != fc_country:
        message = f"purchased labels ship only from {fc_country}, the fulfillment center's country"
        raise ValidationFailed(
            message, code=LabelErrorCode.LABEL_COUNTRY_MISMATCH, details=[FieldError("origin_address.country", message)]
        )


def cheapest_first(rates: list[Rate]) -> list[Rate]:
    return sorted(rates, key=lambda r: (r.cost.amount, r.carrier, r.service))


def choose_rate(rates: list[Rate], label_type: LabelType, carrier: str | None, service: str | None) -> Rate:
    """Optimized: the cheapest; CarrierSpecific: the requested carrier and service."""
    if label_type is LabelType.Optimized:
        if not rates:
            raise ValidationFailed("no carrier serves this route", code=LabelErrorCode.NO_RATE_AVAILABLE)
        return cheapest_first(rates)[0]
    if not carrier or not service:
        raise ValidationFailed(
            "CarrierSpecific needs carrier and service",
            details=[
                FieldError(name, f"{name} is required")
                for name, v in (("carrier", carrier), ("service", service))
                if not v
            ],
        )
    for rate in rates:
        if rate.carrier.lower() == carrier.lower() and rate.service.lower() == service.lower():
            return rate
    message = f"no rate for {carrier} {service} on this route"
    raise ValidationFailed(message, code=LabelErrorCode.NO_RATE_AVAILABLE, details=[FieldError("service", message)])


def require_prepaid_details(carrier: str | None, tracking_number: str | None) -> tuple[str, str]:
    """The merchant's own label: its carrier and tracking number, both required."""
    if not carrier or not tracking_number:
        missing = [name for name, value in (("carrier", carrier), ("tracking_number", tracking_number)) if not value]
        raise ValidationFailed(
            "a Prepaid label needs the carrier and tracking number",
            details=[FieldError(name, f"{name} is required for Prepaid") for name in missing],
        )
    return carrier, tracking_number
