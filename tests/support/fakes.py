"""An in-memory unit of work (cosmicpython's FakeUnitOfWork) satisfying the same ports as the SQLAlchemy one:
use-case tests run on it without a database. Repositories hold plain domain objects in dicts; `committed`
says whether the use case committed, `events` collects the events aggregates raised (what the outbox would
have received). Only what the tested use cases call is implemented: any other repository raises."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from boomerang.config import Settings
from boomerang.domain.billing import FeeSchedule, Transaction
from boomerang.domain.errors import NotFound
from boomerang.domain.events import DomainEvent, Topic
from boomerang.domain.integrations import Provider
from boomerang.domain.inventory import Bucket, LedgerEntry, StockPosition
from boomerang.domain.products import Product
from boomerang.domain.returns import ReturnOrder, ReturnStatus
from boomerang.domain.tenants import FulfillmentCenter, Merchant, Principal
from boomerang.domain.work_orders import ReservationKey, WorkOrder, WorkOrderStatus
from boomerang.services.clock import Clock
from boomerang.services.unit_of_work import UnitOfWork


class Unsupported:
    """A repository no in-memory test needed yet: using it fails loudly instead of answering wrong."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, method: str) -> Any:
        raise NotImplementedError(f"the in-memory {self._name} has no {method}(): add it to tests/support/fakes.py")


class FakeProducts:
    def __init__(self) -> None:
        self.by_id: dict[str, Product] = {}

    def add(self, product: Product) -> None:
        self.by_id[product.id] = product

    def get(self, product_id: str) -> Product:
        if product_id not in self.by_id:
            raise NotFound(f"product {product_id} not found", code="product_not_found")  # type: ignore[arg-type]
        return self.by_id[product_id]

    def by_ids(self, ids: list[str]) -> dict[str, Product]:
        return {i: self.by_id[i] for i in ids if i in self.by_id}

    def of_lines(self, product_ids: list[str]) -> dict[str, Product]:
        return self.by_ids(product_ids)

    def by_skus(self, merchant_id: str, skus: list[str]) -> dict[str, Product]:
        return {p.sku: p for p in self.by_id.values() if p.merchant_id == merchant_id and p.sku in skus}

    def find_by_sku(self, merchant_id: str, sku: str) -> Product | None:
        return self.by_skus(merchant_id, [sku]).get(sku)


class FakeReturns:
    resource_type = "return"

    def __init__(self) -> None:
        self.seen: dict[str, ReturnOrder] = {}

    def add(self, order: ReturnOrder) -> None:
        self.seen[order.id] = order

    def get(self, return_id: str, *, for_update: bool = False) -> ReturnOrder:
        if return_id not in self.seen:
            raise NotFound(f"return {return_id} not found", code="return_not_found")  # type: ignore[arg-type]
        return self.seen[return_id]

    def reference_in_use(self, merchant_id: str, reference_id: str, exclude_id: str | None = None) -> bool:
        return any(
            o.merchant_id == merchant_id and o.reference_id == reference_id and o.id != exclude_id
            for o in self.seen.values()
        )

    def live_return_with_tracking_number(
        self, merchant_id: str, tracking_number: str, exclude_id: str | None = None
    ) -> str | None:
        for o in self.seen.values():
            numbers = {o.tracking_number, o.label.tracking_number if o.label else None}
            live = o.status is not ReturnStatus.Cancelled and o.id != exclude_id
            if live and o.merchant_id == merchant_id and tracking_number in numbers:
                return o.id
        return None

    def sync_search_text(self, order: ReturnOrder) -> None:
        """Nothing to index in memory."""


class FakeWorkOrders:
    resource_type = "work_order"

    def __init__(self) -> None:
        self.seen: dict[str, WorkOrder] = {}

    def add(self, order: WorkOrder) -> None:
        self.seen[order.id] = order

    def get(self, work_order_id: str, *, for_update: bool = False) -> WorkOrder:
        if work_order_id not in self.seen:
            raise NotFound(f"work order {work_order_id} not found", code="work_order_not_found")  # type: ignore[arg-type]
        return self.seen[work_order_id]

    def reserved(
        self, merchant_id: str, product_ids: Sequence[str], fulfillment_center_id: str
    ) -> dict[ReservationKey, int]:
        reserved: dict[ReservationKey, int] = defaultdict(int)
        for order in self.seen.values():
            if order.status is not WorkOrderStatus.Open or order.fulfillment_center_id != fulfillment_center_id:
                continue
            for item in order.items:
                if item.product_id in product_ids:
                    key = (merchant_id, item.product_id, fulfillment_center_id, item.lot_number, item.expiration_date)
                    reserved[key] += item.quantity
        return dict(reserved)


class FakeTenants:
    def __init__(self) -> None:
        self.merchants: dict[str, Merchant] = {}
        self.fcs: dict[str, FulfillmentCenter] = {}

    def add(self, obj: Merchant | FulfillmentCenter) -> None:
        (self.merchants if isinstance(obj, Merchant) else self.fcs)[obj.id] = obj

    def merchant(self, merchant_id: str) -> Merchant:
        return self.merchants[merchant_id]

    def fulfillment_center(self, fc_id: str) -> FulfillmentCenter:
        if fc_id not in self.fcs:
            raise NotFound(f"fulfillment center {fc_id} not found", code="fulfillment_center_not_found")  # type: ignore[arg-type]
        return self.fcs[fc_id]

    def fulfillment_centers(self, ids: list[str] | None = None) -> list[FulfillmentCenter]:
        return sorted((fc for fc in self.fcs.values() if ids is None or fc.id in ids), key=lambda fc: fc.id)

    def preload(self, fc_id: str, merchant_id: str) -> None:
        """Everything is loaded already."""


class FakeBilling:
    def __init__(self) -> None:
        self.schedules: dict[str, FeeSchedule] = {}
        self.transactions: list[Transaction] = []

    def fee_schedule(self, merchant_id: str) -> FeeSchedule | None:
        return self.schedules.get(merchant_id)

    def add_transaction(self, tx: Transaction) -> bool:
        if tx.dedup_key is not None and any(t.dedup_key == tx.dedup_key for t in self.transactions):
            return False
        self.transactions.append(tx)
        return True

    def transactions_for_returns(self, return_ids: list[str]) -> list[Transaction]:
        return [t for t in self.transactions if t.return_id in return_ids]


class FakeLedger:
    def __init__(self) -> None:
        self.entries: list[LedgerEntry] = []

    def add(self, entries: Iterable[LedgerEntry]) -> None:
        self.entries.extend(entries)

    def positions(
        self,
        bucket: Bucket,
        *,
        merchant_id: str | None = None,
        product_ids: list[str] | None = None,
        fulfillment_center_id: str | None = None,
        before: datetime | None = None,
    ) -> list[StockPosition]:
        sums: dict[tuple[str, str, str, str | None, date | None], int] = defaultdict(int)
        for e in self.entries:
            wanted = (
                e.bucket == bucket
                and merchant_id in (None, e.merchant_id)
                and (product_ids is None or e.product_id in product_ids)
                and fulfillment_center_id in (None, e.fulfillment_center_id)
                and (before is None or e.created_at < before)
            )
            if wanted:
                sums[(e.merchant_id, e.product_id, e.fulfillment_center_id, e.lot_number, e.expiration_date)] += (
                    e.quantity
                )
        return [StockPosition(*key, quantity) for key, quantity in sorted(sums.items(), key=str) if quantity > 0]


class FakeLocks:
    def products(self, product_ids: Iterable[str]) -> None:
        """One writer at a time already."""

    def daily_totals(self, merchant_id: str) -> None:
        """One writer at a time already."""


class FakePhotos:
    def __init__(self) -> None:
        self.of_return: dict[str, set[str]] = defaultdict(set)

    def photo_ids_of_return(self, return_id: str, photo_ids: list[str]) -> set[str]:
        return self.of_return[return_id] & set(photo_ids)


class FakeReceipts:
    def __init__(self, returns: FakeReturns) -> None:
        self.returns = returns
        self.receipts: list[dict[str, Any]] = []

    def returns_matching_scan(self, fc_id: str, scanned: str, *, children: bool = True) -> list[ReturnOrder]:
        return [
            o
            for o in self.returns.seen.values()
            if o.fulfillment_center_id == fc_id and scanned in {o.tracking_number, o.reference_id}
        ]

    def add_receipt(self, **values: Any) -> None:
        self.receipts.append(values)


class FakeShipments:
    def at_fc_by_tracking(self, fc_id: str, tracking_number: str) -> list[Any]:
        return []

    def merchant_of(self, shipment_id: str) -> str | None:
        return None


@dataclass
class FakeOutbox:
    """What the outbox would have received: (topic, aggregate or subject id) in order."""

    written: list[tuple[str, str]] = field(default_factory=list)

    def publish(self, topic: Topic, *, merchant_id: str, resource_type: str, subject: Any) -> None:
        self.written.append((topic.value, getattr(subject, "id", "")))

    def published(self, aggregate: Any) -> Any | None:
        return None  # views are rendered afresh


@dataclass
class FakeProviders:
    """Providers that need no network, disk or PDF library; a test replaces the one it exercises."""

    carriers: Any = None
    documents: Any = None
    photo_storage: Any = None
    sniff_image: Any = None
    urls: Any = None
    platforms: Mapping[Provider, Any] = field(default_factory=dict)


class FakeUnitOfWork(UnitOfWork):
    """The state lives in the unit of work (shared by the `with` blocks of one test), as in cosmicpython."""

    def __init__(self, principal: Principal, clock: Clock, settings: Settings | None = None) -> None:
        self.principal = principal
        self.clock = clock
        self.settings = settings or Settings(environment="development")
        self.read_only = False
        self.providers = FakeProviders()
        self.outbox = FakeOutbox()
        self.products = FakeProducts()  # type: ignore[assignment]
        self.returns = FakeReturns()  # type: ignore[assignment]
        self.work_orders = FakeWorkOrders()  # type: ignore[assignment]
        self.tenants = FakeTenants()  # type: ignore[assignment]
        self.billing = FakeBilling()  # type: ignore[assignment]
        self.ledger = FakeLedger()  # type: ignore[assignment]
        self.locks = FakeLocks()  # type: ignore[assignment]
        self.photos = FakePhotos()  # type: ignore[assignment]
        self.receipts = FakeReceipts(self.returns)  # type: ignore[assignment,arg-type]
        self.shipments = FakeShipments()  # type: ignore[assignment]
        for name in ("idempotency", "stock", "unidentified_packages", "stored_secrets", "webhooks", "integrations"):
            setattr(self, name, Unsupported(name))
        for name in ("numbers", "compat_returns", "web_sessions", "dashboard"):
            setattr(self, name, Unsupported(name))
        self.committed = False
        self.events: list[DomainEvent] = []
        self._versions: dict[str, int | None] = {}

    def as_principal(self, principal: Principal) -> Self:
        """The same storage, seen by another caller (the merchant creates, the operator receives)."""
        self.principal = principal
        return self

    def __enter__(self) -> Self:
        self.now = self.clock()
        self.committed = False
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def flush(self) -> None:
        """Nothing is pending in memory."""

    def commit(self) -> None:
        """Collect the aggregates' events, raising each changed aggregate's version once, like the outbox."""
        aggregates: list[Any] = [*self.returns.seen.values(), *self.work_orders.seen.values()]  # type: ignore[attr-defined]
        for agg in aggregates:
            if not agg.events:
                continue
            if agg.id in self._versions and agg.version is not None:
                agg.version += 1
            self.events.extend(agg.events)
            self.outbox.written.extend((e.topic, agg.id) for e in agg.events)
            agg.events.clear()
        self._versions.update({agg.id: agg.version for agg in aggregates})
        self.committed = True

    def rollback(self) -> None:
        """In memory nothing is undone: a test that needs a rollback checks `committed` instead."""


def fake_clock(at: datetime) -> Clock:
    return lambda: at
