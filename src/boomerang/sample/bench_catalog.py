"""The benchmark merchants' catalogs: product rows as POST /products leaves them, and long-tail
(Zipf-like) popularity for picking what comes back."""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import Any

from boomerang.domain.ids import new_id
from boomerang.domain.products import Action, BackupAction, Category

WORDS = ("trail", "jacket", "serum", "mug", "lamp", "boot", "tent", "scarf", "blender", "cable", "mat", "pack")
COLOURS = ("red", "blue", "black", "sage", "ivory", "amber", "teal", "grey")


@dataclass
class Catalog:
    """One merchant's products with long-tail (Zipf-like) popularity."""

    merchant_id: str
    products: list[tuple[str, str, str]]  # (id, sku, name)
    cumulative: list[float]

    def pick(self, rng: random.Random, count: int) -> list[tuple[str, str, str]]:
        chosen: dict[str, tuple[str, str, str]] = {}
        while len(chosen) < min(count, len(self.products)):
            index = bisect_left(self.cumulative, rng.random() * self.cumulative[-1])
            product = self.products[min(index, len(self.products) - 1)]
            chosen[product[0]] = product
        return list(chosen.values())


def product_rows(merchant_id: str, prefix: str, count: int, rng: random.Random, now: datetime) -> list[dict[str, Any]]:
    """`count` products named `<prefix>-sku-000001`...; default preferences, as POST /products leaves them."""
    return [
        {
            "id": new_id("prd"),
            "merchant_id": merchant_id,
            "sku": f"{prefix}-sku-{k:06d}",
            "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {rng.choice(COLOURS)}",
            "barcodes": [f"{rng.randrange(10**11, 10**12)}"],
            "category": Category.General if k % 10 else Category.Food,
            "is_lot_tracked": False,
            "minimum_shelf_life_days": 0,
            "is_kitted": False,
            "is_sioc": False,
            "is_dangerous_goods": False,
            "return_action": Action.Restock,
            "rts_action": Action.Restock,
            "backup_action": BackupAction.Quarantine,
            "inspection_steps": [],
            "preferences_configured": False,
            "created_at": now,
            "updated_at": now,
        }
        for k in range(1, count + 1)
    ]


def catalog(merchant_id: str, rows: list[dict[str, Any]]) -> Catalog:
    products = [(r["id"], r["sku"], r["name"]) for r in rows]
    weights = [1 / (rank**1.1) for rank in range(1, len(products) + 1)]
    return Catalog(merchant_id, products, list(accumulate(weights)))
