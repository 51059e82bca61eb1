"""Unidentified packages: parcels the dock could not match, until an operator links them to a return."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Page, apply_scope, keyset_page
from boomerang.adapters.tables.warehouse import photos, unidentified_packages
from boomerang.domain.error_codes import WarehouseErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.shipments import UnidentifiedPackage
from boomerang.domain.tenants import Principal

ut = unidentified_packages
pt = photos


class UnidentifiedPackageRepository:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def add_unidentified(self, package: UnidentifiedPackage) -> None:
        self.session.execute(insert(ut).values(**vars(package)))

    def get_unidentified(self, package_id: str, *, for_update: bool = False) -> UnidentifiedPackage:
        stmt = apply_scope(select(ut), self.principal, None, ut.c.fulfillment_center_id).where(ut.c.id == package_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.session.execute(stmt).first()
        if row is None:
            raise NotFound(
                f"unidentified package {package_id} not found", code=WarehouseErrorCode.UNIDENTIFIED_PACKAGE_NOT_FOUND
            )
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
