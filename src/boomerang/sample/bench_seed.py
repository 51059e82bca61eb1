"""A large, realistic data set for the benchmarks, written in bulk (COPY / executemany), not through the API.

The rows are what the API itself would have written for the same history: search text, lines,
status history, the arrival fee of every arrived Regular return, and actions plus ledger entries for
completed ones. Values pass through the columns' own bind processors, so they are stored exactly as
the application stores them. The data is skewed like a real 3PL: one merchant holds 20% of the
returns, SKUs follow a long tail, 20% are return-to-sender and every status occurs.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from sqlalchemy import Engine, Table

from boomerang.adapters import migrate
from boomerang.adapters.bulk_writer import BulkWriter, analyze, bulk_id
from boomerang.adapters.db import make_engine
from boomerang.adapters.repositories.returns import search_text_of
from boomerang.adapters.tables import core
from boomerang.adapters.tables.ledger import fee_schedules, ledger_entries, transactions
from boomerang.domain.ids import new_id
from boomerang.domain.inventory import Bucket
from boomerang.domain.returns import (
    ActionReason,
    ActionTaken,
    Channel,
    Inspection,
    RequestedAction,
    ReturnStatus,
    ReturnType,
    TakenAction,
)
from boomerang.sample.bench_catalog import Catalog, catalog, product_rows
from boomerang.services.auth import hash_token

# Well-known secrets of the seeded credentials (bench data only, never a real deployment).
OPERATOR_TOKEN = "bko_bench_operator"
CHUNK = 2_000
ARRIVAL_FEE = Decimal("3.00")
FIRST = ("ada", "ben", "chloe", "dmitri", "elena", "farah", "george", "hana", "ivan", "jun", "kofi", "lena")
LAST = ("smith", "garcia", "nguyen", "okafor", "muller", "rossi", "kowalski", "tanaka", "silva", "cohen")


Progress = Callable[[str, int, int], None]


def merchant_api_key(index: int) -> str:
    return f"bkm_bench_{index:02d}"


@dataclass(frozen=True)
class SeedSpec:
    returns: int
    merchants: int = 50
    lines_per_return: int = 3
    fulfillment_centers: int = 4
    big_merchant_share: float = 0.20
    rts_share: float = 0.20
    random_seed: int = 14


@dataclass
class SeedSummary:
    merchant_ids: list[str]
    fulfillment_center_ids: list[str]
    rows: dict[str, int] = field(default_factory=dict)


def migrate_and_seed(url: str, spec: SeedSpec, progress: Progress | None = None) -> SeedSummary:
    """Migrate the database at `url`, then bulk-load the benchmark data set (bench/, `boomerang bench seed`)."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        return seed(engine, spec, progress)
    finally:
        engine.dispose()


def seed(engine: Engine, spec: SeedSpec, progress: Progress | None = None) -> SeedSummary:
    """Write `spec.returns` returns (plus merchants, FCs, products, credentials) into a migrated database."""
    rng = random.Random(spec.random_seed)
    now = datetime.now(UTC).replace(microsecond=0)
    writer = BulkWriter(engine)
    summary = _seed_tenants(writer, spec, now)
    catalogs = _seed_catalogs(writer, spec, summary, rng, now, progress)
    _seed_returns(writer, spec, summary, catalogs, rng, now, progress)
    analyze(engine)
    return summary


def _seed_tenants(writer: BulkWriter, spec: SeedSpec, now: datetime) -> SeedSummary:
    merchant_ids = [new_id("mer") for _ in range(spec.merchants)]
    fc_ids = [new_id("fc") for _ in range(spec.fulfillment_centers)]
    operator_id = new_id("op")
    merchants = [
        {"id": m, "name": f"Bench Merchant {i:02d}", "currency_code": "USD", "created_at": now}
        for i, m in enumerate(merchant_ids)
    ]
    fcs = [
        {"id": f, "name": f"Bench FC {i}", "country": "US", "city": "Reno", "created_at": now}
        for i, f in enumerate(fc_ids)
    ]
    operator = {"id": operator_id, "name": "Bench operator", "fulfillment_center_ids": fc_ids, "created_at": now}
    writer.write(core.merchants, merchants)
    writer.write(core.fulfillment_centers, fcs)
    writer.write(core.operators, [operator])
    credentials = [_credential("Merchant", merchant_api_key(i), now, merchant_id=m) for i, m in enumerate(merchant_ids)]
    credentials.append(_credential("Operator", OPERATOR_TOKEN, now, operator_id=operator_id))
    writer.write(core.credentials, credentials)
    writer.write(fee_schedules, [_fee_schedule(m) for m in merchant_ids])
    return SeedSummary(merchant_ids, fc_ids)


def _credential(role: str, secret: str, now: datetime, **owner: str) -> dict[str, Any]:
    return {
        "id": new_id("cred"),
        "role": role,
        "name": f"bench {role.lower()}",
        "token_hash": hash_token(secret),
        "merchant_id": owner.get("merchant_id"),
        "operator_id": owner.get("operator_id"),
        "created_at": now,
    }


def _fee_schedule(merchant_id: str) -> dict[str, Any]:
    return {
        "merchant_id": merchant_id,
        "currency": "USD",
        "return_processing_fee": ARRIVAL_FEE,
        "quarantine_storage_fee_per_unit_day": Decimal("0.05"),
        "disposal_fee_per_unit": Decimal("0.00"),
        "removal_fee_per_unit": Decimal("0.00"),
    }


def merchant_weights(spec: SeedSpec) -> list[float]:
    """The big merchant's share, the rest falling off like a long tail."""
    tail = [1 / (rank**0.8) for rank in range(1, spec.merchants)]
    scale = (1 - spec.big_merchant_share) / sum(tail)
    return [spec.big_merchant_share] + [w * scale for w in tail]


def _seed_catalogs(
    writer: BulkWriter,
    spec: SeedSpec,
    summary: SeedSummary,
    rng: random.Random,
    now: datetime,
    progress: Progress | None,
) -> list[Catalog]:
    total = max(spec.merchants * 40, spec.returns // 4)
    catalogs = []
    for index, (merchant_id, weight) in enumerate(zip(summary.merchant_ids, merchant_weights(spec), strict=True)):
        count = max(40, int(total * weight))
        rows = product_rows(merchant_id, f"m{index:02d}", count, rng, now)
        writer.write(core.products, rows)
        catalogs.append(catalog(merchant_id, rows))
        summary.rows["products"] = summary.rows.get("products", 0) + len(rows)
        if progress:
            progress("products", index + 1, spec.merchants)
    return catalogs


def _seed_returns(
    writer: BulkWriter,
    spec: SeedSpec,
    summary: SeedSummary,
    catalogs: list[Catalog],
    rng: random.Random,
    now: datetime,
    progress: Progress | None,
) -> None:
    cumulative = list(accumulate(merchant_weights(spec)))
    start = now - timedelta(days=730)
    step = timedelta(days=729) / max(spec.returns, 1)
    counters = [0] * spec.merchants
    done = 0
    for chunk in _chunks(spec.returns):
        batch = _Batch()
        for i in chunk:
            m = min(bisect_left(cumulative, rng.random() * cumulative[-1]), spec.merchants - 1)
            counters[m] += 1
            recent = i >= spec.returns * 0.95
            _one_return(batch, spec, catalogs[m], summary, counters[m], start + step * i, recent, rng)
        for table, rows in batch.tables():
            summary.rows[table.name] = summary.rows.get(table.name, 0) + writer.write(table, rows)
        done += len(chunk)
        if progress:
            progress("returns", done, spec.returns)


def _chunks(total: int) -> Iterator[range]:
    for first in range(0, total, CHUNK):
        yield range(first, min(first + CHUNK, total))


@dataclass
class _Batch:
    returns: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    fees: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)

    def tables(self) -> list[tuple[Table, list[dict[str, Any]]]]:
        return [
            (core.return_orders, self.returns),
            (core.return_lines, self.lines),
            (core.return_status_history, self.history),
            (transactions, self.fees),
            (ledger_entries, self.ledger),
        ]


OPEN = (ReturnStatus.AwaitingArrival, ReturnStatus.Arrived, ReturnStatus.Processing)
PATH = (ReturnStatus.AwaitingArrival, ReturnStatus.Arrived, ReturnStatus.Processing, ReturnStatus.Completed)
DATE_COLUMN = {
    ReturnStatus.AwaitingArrival: "awaiting_arrival_date",
    ReturnStatus.Arrived: "arrived_date",
    ReturnStatus.Processing: "processing_date",
    ReturnStatus.Completed: "completed_date",
    ReturnStatus.Cancelled: "cancelled_date",
}


def _final_status(recent: bool, rng: random.Random) -> ReturnStatus:
    roll = rng.random()
    if roll < 0.05:
        return ReturnStatus.Cancelled
    if recent:
        return OPEN[int(roll * 100) % 3] if roll < 0.85 else ReturnStatus.Completed
    return ReturnStatus.AwaitingArrival if roll < 0.08 else ReturnStatus.Completed


def _one_return(
    batch: _Batch,
    spec: SeedSpec,
    catalog: Catalog,
    summary: SeedSummary,
    number: int,
    inserted: datetime,
    recent: bool,
    rng: random.Random,
) -> None:
    status = _final_status(recent, rng)
    rts = rng.random() < spec.rts_share
    return_id = bulk_id("ret", inserted, rng)
    reference = f"RMA-{number:08d}"
    customer = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    tracking = f"1Z{rng.randrange(36**14):014X}"
    store_order = f"SO-{rng.randrange(10**9):09d}"
    products = catalog.pick(rng, spec.lines_per_return)
    cancelled = [ReturnStatus.AwaitingArrival, ReturnStatus.Cancelled]
    steps = cancelled if status is ReturnStatus.Cancelled else list(PATH[: PATH.index(status) + 1])
    times = {s: inserted + timedelta(hours=30 * n) for n, s in enumerate(steps)}
    row: dict[str, Any] = {
        "id": return_id,
        "merchant_id": catalog.merchant_id,
        "fulfillment_center_id": summary.fulfillment_center_ids[number % len(summary.fulfillment_center_ids)],
        "reference_id": reference,
        "status": status,
        "return_type": ReturnType.ReturnToSender if rts else ReturnType.Regular,
        "channel": Channel.Warehouse if rts else rng.choice((Channel.API, Channel.Dashboard, Channel.AfterShip)),
        "customer_name": customer,
        "original_shipment_id": None,
        "store_order_id": store_order,
        "tracking_number": tracking,
        "label": None,
        "label_tracking_number": None,
        "insert_date": inserted,
        "version": len(steps) + (len(products) if status is ReturnStatus.Completed else 0),
        **{column: times.get(s) for s, column in DATE_COLUMN.items()},
    }
    row["search_text"] = search_text_of(
        [reference, tracking, None, customer, store_order, None, *(part for p in products for part in p[1:])]
    )
    batch.returns.append(row)
    completed = status is ReturnStatus.Completed
    for position, (product_id, sku, name) in enumerate(products):
        quantity = 1 + (rng.random() < 0.2)
        line_id = bulk_id("rl", inserted, rng)
        batch.lines.append(_line_row(row, line_id, position, product_id, sku, name, quantity, completed))
        if completed:
            at = times[ReturnStatus.Completed]
            batch.ledger.append(_ledger_row(row, bulk_id("led", at, rng), product_id, quantity, at))
    for s in steps:
        actor = (
            "bench operator" if s in (ReturnStatus.Arrived, ReturnStatus.Processing, ReturnStatus.Completed) else "api"
        )
        batch.history.append(
            {
                "return_id": return_id,
                "merchant_id": catalog.merchant_id,
                "status": s,
                "timestamp": times[s],
                "actor": actor,
            }
        )
    if ReturnStatus.Arrived in times and not rts:
        at = times[ReturnStatus.Arrived]
        batch.fees.append(_fee_row(row, bulk_id("txn", at, rng), at))


def _line_row(
    order: dict[str, Any],
    line_id: str,
    position: int,
    product_id: str,
    sku: str,
    name: str,
    quantity: int,
    completed: bool,
) -> dict[str, Any]:
    actions = [ActionTaken(TakenAction.Restock, ActionReason.MerchantPreference, quantity)] if completed else []
    inspection = Inspection(quantity_received=quantity) if completed else None
    return {
        "id": line_id,
        "return_id": order["id"],
        "merchant_id": order["merchant_id"],
        "position": position,
        "product_id": product_id,
        "sku": sku,
        "name": name,
        "quantity": quantity,
        "requested_action": RequestedAction.Default,
        "reason": "did not fit" if position == 0 else None,
        "inspection": inspection,
        "actions_taken": actions,
    }


def _ledger_row(order: dict[str, Any], ledger_id: str, product_id: str, quantity: int, at: datetime) -> dict[str, Any]:
    return {
        "id": ledger_id,
        "merchant_id": order["merchant_id"],
        "product_id": product_id,
        "fulfillment_center_id": order["fulfillment_center_id"],
        "lot_number": None,
        "expiration_date": None,
        "bucket": Bucket.Sellable,
        "quantity": quantity,
        "reason": ActionReason.MerchantPreference.value,
        "originator": "bench operator",
        "return_id": order["id"],
        "work_order_id": None,
        "created_at": at,
    }


def _fee_row(order: dict[str, Any], fee_id: str, at: datetime) -> dict[str, Any]:
    from boomerang.domain.billing import TransactionType

    return {
        "id": fee_id,
        "merchant_id": order["merchant_id"],
        "transaction_type": TransactionType.ReturnProcessingFee,
        "amount": ARRIVAL_FEE,
        "currency": "USD",
        "created_at": at,
        "return_id": order["id"],
        "work_order_id": None,
        "dedup_key": f"arrival:{order['id']}",
    }
