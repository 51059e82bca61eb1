"""The dock: matching scans to returns, receipts, unidentified packages and photos."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, apply_scope, keyset_page
from boomerang.adapters.tables import core
from boomerang.adapters.tables.warehouse import photos, receipts, unidentified_packages
from boomerang.domain.errors import NotFound
from boomerang.domain.products import Product
from boomerang.domain.returns import ReturnOrder, ReturnStatus
from boomerang.domain.shipments import Shipment, UnidentifiedPackage
from boomerang.domain.tenants import Principal

rt = core.return_orders
ut = unidentified_packages
pt = photos


class WarehouseRepository:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    # --- matching a scan ---------------------------------------------------------------------
    def returns_matching_scan(self, fc_id: str, scanned: str) -> list[ReturnOrder]:
        """Returns at `fc_id` (cancelled included) whose reference or a tracking number is `scanned`."""
        stmt = select(ReturnOrder).where(
            rt.c.fulfillment_center_id == fc_id,
            or_(rt.c.reference_id == scanned, rt.c.tracking_number == scanned, rt.c.label_tracking_number == scanned),
        )
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

    def products(self, product_ids: list[str]) -> dict[str, Product]:
        """The products of lines the caller can already see (operators act across merchants)."""
        stmt = select(Product).where(core.products.c.id.in_(sorted(set(product_ids))))
        return {p.id: p for p in self.session.execute(stmt).scalars()}

    def add_receipt(self, **values: Any) -> None:
        self.session.execute(insert(receipts).values(**values))

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

    # --- the processing queue ----------------------------------------------------------------
    def returns_to_process(self, fc_id: str, limit: int) -> list[ReturnOrder]:
        """Arrived and Processing returns at `fc_id` the caller may see, the longest-waiting first."""
        stmt = apply_scope(select(ReturnOrder), self.principal, rt.c.merchant_id, rt.c.fulfillment_center_id)
        stmt = stmt.where(
            rt.c.fulfillment_center_id == fc_id,
            rt.c.status.in_([ReturnStatus.Arrived, ReturnStatus.Processing]),
        )
        return list(self.session.execute(stmt.order_by(rt.c.arrived_date, rt.c.id).limit(limit)).scalars())

    # --- unidentified packages ---------------------------------------------------------------
    def add_unidentified(self, package: UnidentifiedPackage) -> None:
        self.session.execute(insert(ut).values(**vars(package)))

    def get_unidentified(self, package_id: str, *, for_update: bool = False) -> UnidentifiedPackage:
        stmt = apply_scope(select(ut), self.principal, None, ut.c.fulfillment_center_id).where(ut.c.id == package_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.session.execute(stmt).first()
        if row is None:
            raise NotFound(f"unidentified package {package_id} not found", code="unidentified_package_not_found")
        return UnidentifiedPackage(**row._mapping)

    def list_unidentified(
        self, fc_id: str | None, resolved: bool | None, cursor: str | None, limit: int
    ) -> Page[UnidentifiedPackage]:
        stmt = apply_scope(select(ut), self.principal, None, ut.c.fulfillment_center_id)
        if fc_id is not None:
            stmt = stmt.where(ut.c.fulfillment_center_id == fc_id)
        if resolved is not None:
            stmt = stmt.where(ut.c.resolved_return_id.is_not(None) if resolved else ut.c.resolved_return_id.is_(None))
        page = keyset_page(self.session, stmt, ut.c.id, cursor, limit, scalars=False)
        return Page([UnidentifiedPackage(**row._mapping) for row in page.items], page.next_cursor)

    def open_unidentified(self, fc_id: str, limit: int) -> list[UnidentifiedPackage]:
        """Unresolved packages at `fc_id` the caller may see, the oldest first."""
        stmt = apply_scope(select(ut), self.principal, None, ut.c.fulfillment_center_id)
        stmt = stmt.where(ut.c.fulfillment_center_id == fc_id, ut.c.resolved_return_id.is_(None))
        rows = self.session.execute(stmt.order_by(ut.c.received_at, ut.c.id).limit(limit))
        return [UnidentifiedPackage(**row._mapping) for row in rows]

    def resolve_unidentified(self, package: UnidentifiedPackage) -> None:
        self.session.execute(
            update(ut)
            .where(ut.c.id == package.id)
            .values(
                resolved_return_id=package.resolved_return_id,
                resolved_at=package.resolved_at,
                merchant_id=package.merchant_id,
            )
        )
        # the package's photos now belong to the return's merchant too
        self.session.execute(
            update(pt).where(pt.c.unidentified_package_id == package.id).values(merchant_id=package.merchant_id)
        )

    def set_unidentified_photos(self, package_id: str, photo_ids: list[str]) -> None:
        self.session.execute(update(ut).where(ut.c.id == package_id).values(photo_ids=photo_ids))

    def set_unidentified_note(self, package_id: str, note: str | None) -> None:
        self.session.execute(update(ut).where(ut.c.id == package_id).values(note=note))

    # --- photos ------------------------------------------------------------------------------
    def add_photo(self, **values: Any) -> None:
        self.session.execute(insert(pt).values(**values))

    def get_photo(self, photo_id: str) -> Any:
        """A photo row, if the caller is its merchant or an operator of its FC."""
        stmt = apply_scope(select(pt), self.principal, pt.c.merchant_id, pt.c.fulfillment_center_id)
        row = self.session.execute(stmt.where(pt.c.id == photo_id)).first()
        if row is None:
            raise NotFound(f"photo {photo_id} not found", code="photo_not_found")
        return row

    def photo_ids_for_return(self, return_id: str) -> set[str]:
        """Every photo uploaded to a return (whether or not a line names it yet)."""
        return set(self.session.execute(select(pt.c.id).where(pt.c.return_id == return_id)).scalars())

    def photo_ids_of_return(self, return_id: str, photo_ids: list[str]) -> set[str]:
        if not photo_ids:
            return set()
        stmt = select(pt.c.id).where(pt.c.return_id == return_id, pt.c.id.in_(photo_ids))
        return set(self.session.execute(stmt).scalars())
