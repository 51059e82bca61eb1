"""The dock's scans: matching a scanned code to returns, and the receipt written for every scan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session, lazyload

from boomerang.adapters.tables import core
from boomerang.adapters.tables.warehouse import receipts
from boomerang.domain.returns import ReturnOrder, ReturnStatus
from boomerang.domain.shipments import Shipment

rt = core.return_orders
_ADD_RECEIPT = insert(receipts)  # built once: its cache key is memoized


class ReceiptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def returns_matching_scan(self, fc_id: str, scanned: str, *, children: bool = True) -> list[ReturnOrder]:
        """Returns at `fc_id` (cancelled included) whose reference or a tracking number is `scanned`.

        Without `children` their lines, history and tracking events are not read (until touched): the
        dock only picks among them, and reads the one it receives again, locked and whole."""
        stmt = select(ReturnOrder).where(
            rt.c.fulfillment_center_id == fc_id,
            or_(rt.c.reference_id == scanned, rt.c.tracking_number == scanned, rt.c.label_tracking_number == scanned),
        )
        if not children:
            stmt = stmt.options(lazyload("*"))
        return list(self.session.execute(stmt.order_by(rt.c.id)).scalars())

    def live_returns_for_shipment(self, shipment: Shipment) -> list[ReturnOrder]:
        """Non-cancelled returns of the shipment's own merchant that name it (another merchant's never match)."""
        stmt = select(ReturnOrder).where(
            rt.c.original_shipment_id == shipment.id,
            rt.c.merchant_id == shipment.merchant_id,
            rt.c.status != ReturnStatus.Cancelled,
        )
        return list(self.session.execute(stmt.order_by(rt.c.id)).scalars())

    def returns_by_tracking_any_merchant(self, tracking_number: str) -> list[ReturnOrder]:
        """For carrier events (an integration sees across merchants): returns with this tracking number."""
        stmt = select(ReturnOrder).where(
            or_(rt.c.tracking_number == tracking_number, rt.c.label_tracking_number == tracking_number)
        )
        return list(self.session.execute(stmt.order_by(rt.c.id)).scalars())

    def add_receipt(self, **values: Any) -> None:
        self.session.execute(_ADD_RECEIPT, values)

    def receipts_by(self, actor: str, fc_id: str, since: datetime, limit: int) -> list[Any]:
        """One actor's latest scans at one FC (newest first), with the reference of the return each found."""
        stmt = (
            select(receipts, rt.c.reference_id)
            .outerjoin(rt, rt.c.id == receipts.c.return_id)
            .where(receipts.c.actor == actor, receipts.c.fulfillment_center_id == fc_id)
            .where(receipts.c.created_at >= since)
            .order_by(receipts.c.created_at.desc(), receipts.c.id.desc())
            .limit(limit)
        )
        return list(self.session.execute(stmt))
