"""Photos taken at the dock and in inspection (the files live in photo storage; these are their rows)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import apply_scope
from boomerang.adapters.tables.warehouse import photos
from boomerang.domain.error_codes import WarehouseErrorCode
from boomerang.domain.errors import NotFound
from boomerang.domain.tenants import Principal

pt = photos


class PhotoRepository:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def add_photo(self, **values: Any) -> None:
        self.session.execute(insert(pt).values(**values))

    def get_photo(self, photo_id: str) -> Any:
        """A photo row, if the caller is its merchant or an operator of its FC."""
        stmt = apply_scope(select(pt), self.principal, pt.c.merchant_id, pt.c.fulfillment_center_id)
        row = self.session.execute(stmt.where(pt.c.id == photo_id)).first()
        if row is None:
            raise NotFound(f"photo {photo_id} not found", code=WarehouseErrorCode.PHOTO_NOT_FOUND)
        return row

    def photo_ids_for_return(self, return_id: str) -> set[str]:
        """Every photo uploaded to a return (whether or not a line names it yet)."""
        return set(self.session.execute(select(pt.c.id).where(pt.c.return_id == return_id)).scalars())

    def photo_ids_of_return(self, return_id: str, photo_ids: list[str]) -> set[str]:
        if not photo_ids:
            return set()
        stmt = select(pt.c.id).where(pt.c.return_id == return_id, pt.c.id.in_(photo_ids))
        return set(self.session.execute(stmt).scalars())

    def storage_keys_of(self, photo_ids: Collection[str]) -> set[str]:
        """The storage keys of those of `photo_ids` that have a row, whatever their tenant (the system's sweep of
        orphan files asks by primary key, a chunk of names at a time)."""
        if not photo_ids:
            return set()
        return set(self.session.execute(select(pt.c.storage_key).where(pt.c.id.in_(list(photo_ids)))).scalars())
