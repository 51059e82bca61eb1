"""#7's large export: peak RSS of the API process while it streams a CSV of N rows (1,000,000 with FULL)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine

from bench.harness import Result, Server, console, progress
from bench.workloads import add_merchant
from boomerang.adapters.bulk_writer import BulkWriter
from boomerang.adapters.tables import core
from boomerang.sample.bench_catalog import product_rows

CHUNK = 50_000


def catalog_merchant(url: str, products: int) -> str:
    """A merchant with `products` products, written in chunks (the bench process never holds them all);
    returns its API key."""
    engine = create_engine(url)
    writer = BulkWriter(engine)
    now = datetime.now(UTC)
    rng = random.Random(7)
    try:
        merchant_id, key = add_merchant(writer, "export", now)
        with progress() as bar:
            task = bar.add_task(f"catalog of {products:,} products", total=products)
            for first in range(0, products, CHUNK):
                count = min(CHUNK, products - first)
                writer.write(core.products, product_rows(merchant_id, f"x{first // CHUNK:03d}", count, rng, now))
                bar.advance(task, count)
    finally:
        engine.dispose()
    return key


def row7_export(api: Server, kind: str, url: str, products: int) -> list[Result]:
    """GET /products/return-preferences/export of a `products`-row catalog, read as a stream; the API's
    peak RSS while it answers (VmHWM, reset first)."""
    key = catalog_merchant(url, products)
    api.reset_peak_rss()
    rows = 0
    with console.status(f"{kind} CSV export ({products:,} rows)"), api.client(key) as client:
        started = time.perf_counter()
        with client.stream("GET", "/products/return-preferences/export") as response:
            for line in response.iter_lines():
                rows += bool(line)
        seconds = time.perf_counter() - started
    rss = api.peak_rss_mib()
    detail = f"{rss:.0f} MiB; HTTP {response.status_code}, {rows - 1:,} rows in {seconds:.1f} s"
    met = response.status_code == 200 and rows - 1 == products and rss <= 300
    return [Result("7", kind, f"peak RSS, CSV export {products:,} rows", rss, "≤ 300 MB", met, detail)]
