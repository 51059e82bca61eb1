"""Return labels: rate quotes, buying (Optimized, CarrierSpecific) or registering (Prepaid), printing."""

from __future__ import annotations

from dataclasses import dataclass

from boomerang.domain.addresses import Address
from boomerang.domain.billing import TransactionType
from boomerang.domain.error_codes import LabelErrorCode, WarehouseErrorCode
from boomerang.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from boomerang.domain.labels import (
    LabelType,
    Rate,
    cheapest_first,
    choose_rate,
    holds_dangerous_goods,
    require_prepaid_details,
    require_purchasable,
)
from boomerang.domain.money import Money
from boomerang.domain.returns import Label, ReturnOrder
from boomerang.domain.tenants import FulfillmentCenter
from boomerang.services import fees
from boomerang.services.attempts import note_external_effect
from boomerang.services.lookups import known_fulfillment_center
from boomerang.services.ports.providers import CarrierRates, LabelDocument
from boomerang.services.returns import require_tracking_number_free
from boomerang.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AttachedLabel:
    return_id: str
    label: Label


def carrier_provider(uow: UnitOfWork) -> CarrierRates:
    return uow.providers.carriers


def fc_address(fc: FulfillmentCenter) -> Address:
    return Address(fc.name, fc.address_line1 or "", fc.city or "", fc.postal_code or "", fc.country)


def _currency(uow: UnitOfWork) -> str:
    return uow.tenants.merchant(uow.require_merchant()).currency_code


def list_rates(
    uow: UnitOfWork, *, fulfillment_center_id: str, origin_country: str | None, return_id: str | None = None
) -> list[Rate]:
    """Rates for a return label: what each carrier charges from `origin_country` to the FC, cheapest first.

    With `return_id`, the quote is for that return: one holding dangerous goods gets the Prepaid-only answer.
    """
    fc = known_fulfillment_center(uow, fulfillment_center_id)
    origin = (origin_country or fc.country).upper()
    has_dg = False
    if return_id is not None:
        order = uow.returns.get(return_id)
        if order.fulfillment_center_id != fc.id:
            message = f"return {return_id} is expected at another fulfillment center"
            raise ValidationFailed(
                message,
                code=WarehouseErrorCode.FULFILLMENT_CENTER_MISMATCH,
                details=[FieldError("fulfillment_center_id", message)],
            )
        has_dg = _holds_dangerous_goods(uow, order)
    require_purchasable(origin_country=origin, fc_country=fc.country, has_dangerous_goods=has_dg)
    rates = carrier_provider(uow).rates(origin_country=origin, destination_country=fc.country, currency=_currency(uow))
    return cheapest_first(rates)


def label_rates(uow: UnitOfWork, *, order: ReturnOrder) -> list[Rate]:
    """What a domestic return label to the return's FC costs per carrier and service, cheapest first."""
    fc = uow.tenants.fulfillment_center(order.fulfillment_center_id)
    currency = uow.tenants.merchant(order.merchant_id).currency_code
    rates = carrier_provider(uow).rates(origin_country=fc.country, destination_country=fc.country, currency=currency)
    return cheapest_first(rates)


def _holds_dangerous_goods(uow: UnitOfWork, order: ReturnOrder) -> bool:
    return holds_dangerous_goods(uow.products.by_ids([line.product_id for line in order.lines]).values())


def attach_label(
    uow: UnitOfWork,
    *,
    return_id: str,
    label_type: LabelType,
    origin: Address,
    carrier: str | None = None,
    service: str | None = None,
    tracking_number: str | None = None,
) -> AttachedLabel:
    """Buy a label (charged as ReturnLabelInvoice) or register the merchant's own."""
    order = uow.returns.get(return_id, for_update=True)
    order.require_editable()
    _refuse_replacing_purchase(order)
    currency = uow.tenants.merchant(order.merchant_id).currency_code
    if label_type is LabelType.Prepaid:
        carrier, tracking_number = require_prepaid_details(carrier, tracking_number)
        require_tracking_number_free(uow, order, tracking_number)
        label = _label(label_type, carrier, service, tracking_number, Money.zero(currency), origin)
    else:
        label = _purchase(uow, order, label_type, origin, carrier, service, currency)
    order.attach_label(label)
    if label_type is not LabelType.Prepaid:
        fees.charge(
            uow,
            merchant_id=order.merchant_id,
            transaction_type=TransactionType.ReturnLabelInvoice,
            amount=Money.parse(label.cost_amount, label.currency),
            return_id=order.id,
        )
    uow.commit()
    return AttachedLabel(order.id, label)


def _refuse_replacing_purchase(order: ReturnOrder) -> None:
    # A bought label is paid for; replacing it would need a void and refund with the carrier.
    if order.label is not None and order.label.type != LabelType.Prepaid:
        raise Conflict("this return already has a purchased label", code=LabelErrorCode.LABEL_ALREADY_PURCHASED)


def _purchase(
    uow: UnitOfWork,
    order: ReturnOrder,
    label_type: LabelType,
    origin: Address,
    carrier: str | None,
    service: str | None,
    currency: str,
) -> Label:
    fc = uow.tenants.fulfillment_center(order.fulfillment_center_id)
    require_purchasable(
        origin_country=origin.country, fc_country=fc.country, has_dangerous_goods=_holds_dangerous_goods(uow, order)
    )
    provider = carrier_provider(uow)
    rates = provider.rates(origin_country=origin.country, destination_country=fc.country, currency=currency)
    rate = choose_rate(rates, label_type, carrier, service)
    # Paid for at the carrier: a transaction conflict after this point must not buy a second label.
    note_external_effect("carrier label purchase")
    bought = provider.purchase(rate, origin=origin, destination=fc_address(fc), reference=order.reference_id)
    return _label(label_type, bought.carrier, bought.service, bought.tracking_number, rate.cost, origin)


def _label(
    label_type: LabelType, carrier: str, service: str | None, tracking_number: str, cost: Money, origin: Address
) -> Label:
    return Label(
        type=label_type.value,
        carrier=carrier,
        service=service,
        tracking_number=tracking_number,
        cost_amount=cost.formatted(),
        currency=cost.currency,
        origin_address=origin.as_dict(),
    )


def label_pdf(uow: UnitOfWork, *, return_id: str) -> bytes:
    """A return label as PDF: rendered on demand from the stored label (nothing to keep in sync)."""
    order = uow.returns.get(return_id)
    label = order.label
    if label is None:
        raise NotFound("this return has no label yet", code=LabelErrorCode.LABEL_NOT_FOUND)
    fc = fc_address(uow.tenants.fulfillment_center(order.fulfillment_center_id))
    origin = label.origin_address or {}
    return uow.providers.documents.label(
        LabelDocument(
            carrier=label.carrier,
            service=label.service,
            label_type=label.type,
            tracking_number=label.tracking_number,
            reference_id=order.reference_id,
            ship_from=_lines(origin.get("name"), origin.get("line1"), origin),
            ship_to=_lines(fc.name, fc.line1, fc.as_dict()),
        )
    )


def _lines(name: str | None, line1: str | None, address: dict[str, str]) -> list[str]:
    city = " ".join(v for v in (address.get("city"), address.get("postal_code"), address.get("country")) if v)
    return [v for v in (name, line1, city) if v]
