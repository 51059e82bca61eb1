"""Boomerang extensions (not in the contract file): where a ShipBob client finds the integer ids of
fulfillment centers and inventory that POST /return needs. Shapes follow ShipBob's Location and
Inventory resources, reduced to the fields Boomerang has.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from boomerang.entrypoints.compat.shipbob import params
from boomerang.entrypoints.http.deps import MerchantUoW
from boomerang.services import compat_shipbob

router = APIRouter(prefix="/2026-01")


@router.get("/location", operation_id="get-locations")
def get_locations(uow: MerchantUoW) -> list[dict[str, Any]]:
    with uow:
        found = compat_shipbob.locations(uow)
    return [
        {
            "id": fc.number,
            "name": fc.item.name,
            "is_active": True,
            "is_receiving_enabled": True,
            "region": {"country_code": fc.item.country},
        }
        for fc in found
    ]


@router.get("/inventory", operation_id="get-inventory")
def get_inventory(request: Request, uow: MerchantUoW) -> list[dict[str, Any]]:
    """`SearchBy` matches sku, name or barcode (substring); `Page` from 1, `Limit` up to 250."""
    query = params.query(request)
    paging = {"cursor": query["page"]} if "page" in query else {}
    page, limit = params.paging(paging | ({"limit": query["limit"]} if "limit" in query else {}))
    with uow:
        found = compat_shipbob.inventory(uow, query.get("searchby"), (page - 1) * limit, limit)
    return [
        {
            "id": item.number,
            "name": item.item.name,
            "sku": item.item.sku,
            "barcodes": list(item.item.barcodes),
            "is_lot": item.item.is_lot_tracked,
            "is_active": True,
        }
        for item in found
    ]
