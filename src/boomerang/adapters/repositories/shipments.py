"""Outbound shipments and carrier scans."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, apply_scope, decode_cursor, encode_cursor
from boomerang.adapters.tables.warehouse import carrier_scans, shipment_items, shipments
from boomerang.domain.error_codes import WarehouseErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.money import Money
from boomerang.domain.shipments import CarrierStatus, Shipment, ShipmentItem
from boomerang.domain.tenants import Principal

st = shipments
it = shipment_items
Shipments = list[Shipment]  # (the repository's `list` method shadows the builtin in annotations)


class ShipmentRepository:
    """Shipments as the caller may see them: a merchant its own, an operator those of its FCs."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def add(self, shipment: Shipment) -> None:
        self.session.execute(
            insert(st).values(
                id=shipment.id,
                merchant_id=shipment.merchant_id,
                fulfillment_center_id=shipment.fulfillment_center_id,
                store_order_id=shipment.store_order_id,
                tracking_number=shipment.tracking_number,
                carrier=shipment.carrier,
                label_cost=shipment.label_cost.amount,
                label_cost_currency=shipment.label_cost.currency,
                destination_country=shipment.destination_country,
                customer_name=shipment.customer_name,
                rts_scanned=shipment.rts_scanned,
                created_at=shipment.created_at,
            )
        )
        rows = [
            {"shipment_id": shipment.id, "merchant_id": shipment.merchant_id, "position": i, **vars(item)}
            for i, item in enumerate(shipment.items)
        ]
        self.session.execute(insert(it), rows)

    def _select(self) -> Any:
        return apply_scope(select(st), self.principal, st.c.merchant_id, st.c.fulfillment_center_id)

    def get(self, shipment_id: str, *, for_update: bool = False) -> Shipment:
        stmt = self._select().where(st.c.id == shipment_id)
        if for_update:
            stmt = stmt.with_for_update()
        found = self._load(stmt)
        if not found:
            raise NotFound(f"shipment {shipment_id} not found", code=WarehouseErrorCode.SHIPMENT_NOT_FOUND)
        return found[0]

    def merchant_of(self, shipment_id: str) -> str | None:
        """Whose shipment this is, if it exists (unscoped: callers compare it with their own merchant)."""
        stmt = select(st.c.merchant_id).where(st.c.id == shipment_id)
        return self.session.execute(stmt).scalar_one_or_none()

    def list(self, tracking_number: str | None, cursor: str | None, limit: int) -> Page[Shipment]:
        stmt = self._select()
        if tracking_number is not None:
            stmt = stmt.where(st.c.tracking_number == tracking_number)
        if cursor:
            (after,) = decode_cursor(cursor)
            stmt = stmt.where(st.c.id < after)
        items = self._load(stmt.order_by(st.c.id.desc()).limit(limit + 1))
        next_cursor = encode_cursor(items[limit - 1].id) if len(items) > limit else None
        return Page(items[:limit], next_cursor)

    def at_fc_by_tracking(self, fc_id: str, tracking_number: str) -> Shipments:
        """Shipments sent from `fc_id` with this tracking number, newest first."""
        stmt = self._select().where(st.c.fulfillment_center_id == fc_id, st.c.tracking_number == tracking_number)
        return self._load(stmt.order_by(st.c.id.desc()))

    def _load(self, stmt: Any) -> Shipments:
        rows = self.session.execute(stmt).all()
        items: dict[str, list[ShipmentItem]] = defaultdict(list)
        if rows:
            item_rows = self.session.execute(
                select(it).where(it.c.shipment_id.in_([r.id for r in rows])).order_by(it.c.shipment_id, it.c.position)
            )
            for i in item_rows:
                items[i.shipment_id].append(ShipmentItem(i.product_id, i.sku, i.name, i.quantity, i.lot_number))
        return [_shipment(r, items[r.id]) for r in rows]

    # Carrier events arrive from an integration, not a tenant: these look across merchants on purpose.
    def mark_return_to_sender(self, tracking_number: str) -> int:
        """Flag every shipment with this tracking number as RTS-scanned; how many there were."""
        result = self.session.execute(
            update(st).where(st.c.tracking_number == tracking_number).values(rts_scanned=True)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def add_carrier_scan(self, **values: Any) -> None:
        self.session.execute(insert(carrier_scans).values(**values))

    def has_rts_scan(self, tracking_number: str) -> bool:
        stmt = select(carrier_scans.c.id).where(
            carrier_scans.c.tracking_number == tracking_number,
            carrier_scans.c.status == CarrierStatus.ReturnToSender.value,
        )
        return self.session.execute(stmt.limit(1)).first() is not None


def _shipment(row: Any, items: list[ShipmentItem]) -> Shipment:
    return Shipment(
        id=row.id,
        merchant_id=row.merchant_id,
        fulfillment_center_id=row.fulfillment_center_id,
        store_order_id=row.store_order_id,
        tracking_number=row.tracking_number,
        carrier=row.carrier,
        label_cost=Money(row.label_cost, row.label_cost_currency),
        destination_country=row.destination_country,
        customer_name=row.customer_name,
        created_at=row.created_at,
        items=items,
        rts_scanned=row.rts_scanned,
    )
