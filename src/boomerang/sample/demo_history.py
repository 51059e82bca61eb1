"""Ninety days of demo returns per merchant, so every dashboard page and chart shows something real.

Each return lives its whole life through the use cases (create, receive, process, complete; some
cancelled, some RTS) with the clock set back to when it happened, so fees, ledger entries and
status histories are exactly what production would have written.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from boomerang.domain.money import Money
from boomerang.domain.returns import Channel, RequestedAction
from boomerang.domain.shipments import CarrierStatus
from boomerang.domain.tenants import Operator, Principal, Role
from boomerang.sample.demo import PRODUCTS, LoadedDemo
from boomerang.sample.demo_warehouse import CARRIER, _inspection
from boomerang.services import accrual, processing, receiving, returns, shipments
from boomerang.services.auth import SYSTEM
from boomerang.services.returns import LineRequest
from boomerang.services.shipments import NewShipment, ShipmentItemRequest
from boomerang.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

DAYS = 90
CUSTOMERS = ["Ana Silva", "Ben Okafor", "Chloe Martin", "Dev Patel", "Eva Novak", "Femi Adeyemi", "Gus Larsen"]
CHANNELS = [Channel.Dashboard, Channel.API, Channel.API, Channel.AfterShip, Channel.Loop]


@dataclass
class DemoClock:
    """A clock the loader moves to when each step happened."""

    now: datetime

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now


@dataclass(frozen=True)
class DemoTenant:
    prefix: str
    merchant: Principal
    fc_id: str
    skus: list[str]
    currency: str


def load_history(
    uow_factory: UnitOfWorkFactory,
    tenants: list[DemoTenant],
    operator: Principal,
    *,
    returns_per_merchant: int,
    advance: Callable[[int], None] = lambda _: None,
) -> None:
    """`returns_per_merchant` returns for each tenant, spread over the last 90 days; `advance` counts them."""
    real_now = uow_factory.clock()
    clock = DemoClock(real_now)
    uow = uow_factory.with_clock(clock)

    rng = random.Random(20261128)
    for tenant in tenants:
        for n in range(returns_per_merchant):
            created = real_now - timedelta(days=DAYS * (1 - n / returns_per_merchant), hours=rng.uniform(0, 8))
            _one_return(uow, clock, rng, tenant, operator, n, created, real_now)
            advance(1)
    clock.now = real_now
    accrual.accrue_due(lambda: uow(SYSTEM), days=DAYS)


def _one_return(
    uow: Callable[[Principal], UnitOfWork],
    clock: DemoClock,
    rng: random.Random,
    tenant: DemoTenant,
    operator: Principal,
    n: int,
    created: datetime,
    real_now: datetime,
) -> None:
    age = (real_now - created).days
    clock.now = created
    reference = f"{tenant.prefix}-R{created:%y%m%d}-{n:04d}"
    if rng.random() < 0.1:
        return_id = _rts(uow, clock, rng, tenant, operator, n, created, real_now)
    else:
        return_id = _regular(uow, rng, tenant, reference, n)
        if rng.random() < 0.05:
            with uow(tenant.merchant) as u:
                returns.cancel_return(u, return_id=return_id)
            return
        if age < 2 or (age < 10 and rng.random() < 0.4):
            return  # still on its way
        clock.now = created + timedelta(days=rng.uniform(1.5, min(age, 6)))
        with uow(operator) as u:
            receiving.receive(u, fulfillment_center_id=tenant.fc_id, scanned=reference)
    _process(uow, clock, rng, operator, return_id, real_now, overdue=n % 37 == 0)


def _regular(
    uow: Callable[[Principal], UnitOfWork], rng: random.Random, tenant: DemoTenant, reference: str, n: int
) -> str:
    skus = rng.sample(tenant.skus[:8] if rng.random() < 0.8 else tenant.skus, k=rng.choice((1, 1, 1, 2, 3)))
    lines = [
        LineRequest(
            quantity=rng.choice((1, 1, 1, 2, 3)),
            sku=sku,
            requested_action=RequestedAction.Quarantine if rng.random() < 0.08 else RequestedAction.Default,
        )
        for sku in skus
    ]
    with uow(tenant.merchant) as u:
        created = returns.create_return_and_commit(
            u,
            reference_id=reference,
            fulfillment_center_id=tenant.fc_id,
            lines=lines,
            channel=CHANNELS[n % len(CHANNELS)],
            customer_name=CUSTOMERS[n % len(CUSTOMERS)],
            store_order_id=f"#{10000 + n}",
            tracking_number=f"1Z{tenant.prefix}{700000 + n}",
        )
    return created.order.id


def _rts(
    uow: Callable[[Principal], UnitOfWork],
    clock: DemoClock,
    rng: random.Random,
    tenant: DemoTenant,
    operator: Principal,
    n: int,
    created: datetime,
    real_now: datetime,
) -> str:
    """A shipped order refused by the customer: the carrier reports RTS, the dock scans it back."""
    tracking = f"1Z{tenant.prefix}RTS{600000 + n}"
    with uow(tenant.merchant) as u:
        shipments.create_shipment(
            u,
            command=NewShipment(
                store_order_id=f"#{20000 + n}",
                fulfillment_center_id=tenant.fc_id,
                tracking_number=tracking,
                carrier="UPS",
                label_cost=Money(Decimal("7.90"), tenant.currency),
                destination_country="US" if tenant.currency == "USD" else "CA",
                customer_name=CUSTOMERS[n % len(CUSTOMERS)],
                items=[ShipmentItemRequest(quantity=1, sku=rng.choice(tenant.skus[:3]))],
            ),
        )
    with uow(CARRIER) as u:
        shipments.record_carrier_event(
            u, tracking_number=tracking, status=CarrierStatus.ReturnToSender, occurred_at=created, description="Refused"
        )
    # Back at the dock a few days later, but never after now (a recent refusal arrives within hours).
    clock.now = max(created, min(created + timedelta(days=rng.uniform(1, 4)), real_now - timedelta(hours=1)))
    with uow(operator) as u:
        receipt = receiving.receive(u, fulfillment_center_id=tenant.fc_id, scanned=tracking)
    if receipt.order is None:
        raise RuntimeError(f"the demo RTS package {tracking} matched no return")
    return receipt.order.id


def _process(
    uow: Callable[[Principal], UnitOfWork],
    clock: DemoClock,
    rng: random.Random,
    operator: Principal,
    return_id: str,
    real_now: datetime,
    overdue: bool,
) -> None:
    start = min(clock.now + timedelta(hours=rng.uniform(2, 60)), real_now - timedelta(hours=3))
    if overdue or start <= clock.now:
        return  # arrived, waiting on the dock
    clock.now = start
    with uow(operator) as u:
        order = processing.start_processing(u, return_id=return_id).order
    for line in order.lines:
        clock.now += timedelta(minutes=rng.uniform(2, 20))
        with uow(operator) as u:
            product = u.products.of_lines([line.product_id])[line.product_id]
            inspection = _inspection(product, line.quantity, clock.now.date(), failed=rng.random() < 0.15)
            processing.record_inspection(u, return_id=return_id, line_id=line.id, inspection=inspection)
    if clock.now > real_now - timedelta(hours=6):
        return  # still being processed
    with uow(operator) as u:
        processing.complete_return(u, return_id=return_id)


def tenants_of(loaded: LoadedDemo) -> list[DemoTenant]:
    """The demo merchants as load_demo made them, with their catalogs and FCs."""
    fcs = [fc.id for fc in loaded.fulfillment_centers]
    out = []
    for (name, merchant_id), fc_id, prefix, currency in zip(
        loaded.merchants.items(), fcs, ("AC", "BB"), ("USD", "CAD"), strict=True
    ):
        merchant = Principal(Role.Merchant, credential_id="demo", name=name, merchant_id=merchant_id)
        out.append(DemoTenant(prefix, merchant, fc_id, [f"{prefix}-{p.sku}" for p in PRODUCTS], currency))
    return out


def demo_operator(operator: Operator) -> Principal:
    """The demo operator as a caller."""
    return Principal(
        Role.Operator,
        credential_id="demo",
        name="Dock team",
        operator_id=operator.id,
        fulfillment_center_ids=frozenset(operator.fulfillment_center_ids),
    )
