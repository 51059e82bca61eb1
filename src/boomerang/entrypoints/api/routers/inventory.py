"""Inventory (merchant, operator), the ledger (merchant) and adjustments (admin)."""

from __future__ import annotations

from fastapi import APIRouter

from boomerang.domain.inventory import Bucket
from boomerang.entrypoints.http.deps import AdminUoW, MerchantOrOperatorUoW, MerchantUoW
from boomerang.schemas.common import Limit, Page
from boomerang.schemas.inventory import (
    AdjustmentCreate,
    AdjustmentRead,
    InventoryItemRead,
    LedgerEntryRead,
)
from boomerang.services import inventory
from boomerang.services.queries import LedgerFilters, StockFilters

router = APIRouter(tags=["inventory"])


@router.get("/inventory", response_model=Page[InventoryItemRead])
def list_inventory(
    uow: MerchantOrOperatorUoW,
    product_id: str | None = None,
    fulfillment_center_id: str | None = None,
    bucket: Bucket | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[InventoryItemRead]:
    """On-hand per product, FC, lot number and expiration date; `bucket` keeps positions with units in it."""
    filters = StockFilters(product_id, fulfillment_center_id, bucket)
    with uow:
        page = inventory.list_inventory(uow, filters=filters, cursor=cursor, limit=limit)
    items = [InventoryItemRead.from_domain(p) for p in page.items]
    return Page[InventoryItemRead](items=items, next_cursor=page.next_cursor)


@router.get("/inventory/ledger", response_model=Page[LedgerEntryRead])
def list_ledger(
    uow: MerchantUoW,
    product_id: str | None = None,
    return_id: str | None = None,
    work_order_id: str | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[LedgerEntryRead]:
    """Immutable entries, newest first."""
    with uow:
        page = inventory.list_ledger(
            uow, filters=LedgerFilters(product_id, return_id, work_order_id), cursor=cursor, limit=limit
        )
    return Page[LedgerEntryRead](
        items=[LedgerEntryRead.from_domain(e) for e in page.items], next_cursor=page.next_cursor
    )


@router.post("/admin/inventory-adjustments", status_code=201, response_model=AdjustmentRead, tags=["admin"])
def adjust_inventory(body: AdjustmentCreate, uow: AdminUoW) -> AdjustmentRead:
    """A signed correction entry; a bucket never goes below zero (422 insufficient_stock)."""
    with uow:
        return AdjustmentRead.from_domain(inventory.adjust_inventory(uow, **body.model_dump()))
