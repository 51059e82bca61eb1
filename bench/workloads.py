"""The rows of issue 14's table, each measured against a baseline taken in the same run."""

from __future__ import annotations

import random
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine

from bench.harness import BIN, Result, Server, Stats, console, progress, ratio, timed
from bench.raw import Raw, RawProcessing
from boomerang.adapters.bulk_writer import BulkWriter
from boomerang.adapters.repositories.base import encode_cursor
from boomerang.adapters.tables import core
from boomerang.sample.bench_catalog import product_rows
from boomerang.sample.bench_seed import OPERATOR_TOKEN, merchant_api_key
from boomerang.services.auth import hash_token

BIG = merchant_api_key(0)


@dataclass
class Fixture:
    """What the workloads need to know about a seeded database."""

    kind: str
    url: str
    merchant_id: str
    fc_id: str
    products: list[tuple[str, str, str]]
    sku_fragment: str  # a popular SKU: fills a page at every size
    rare_sku_fragment: str  # a long-tail SKU: fewer hits than a page on small data sets
    name_fragment: str
    tracking_number: str

    @classmethod
    def load(cls, kind: str, url: str) -> Fixture:
        raw = Raw(url)
        try:
            merchant_id = raw.one("SELECT merchant_id FROM credentials WHERE token_hash = ?", [hash_token(BIG)])
            fc_id = raw.one("SELECT id FROM fulfillment_centers ORDER BY id LIMIT 1")
            products = raw.all("SELECT id, sku, name FROM products WHERE merchant_id = ? ORDER BY sku", [merchant_id])
            # an old return's full tracking number: a rare match deep in the merchant's history
            old = raw.all(
                "SELECT tracking_number FROM return_orders WHERE merchant_id = ? ORDER BY id LIMIT 1 OFFSET 10",
                [merchant_id],
            )
        finally:
            raw.close()

        def fragment(rank: int) -> str:  # "sku-000002" of "m00-sku-000002": found in every merchant's catalog
            return str(products[min(rank - 1, len(products) - 1)][1]).split("-", 1)[1]

        return cls(
            kind, url, merchant_id, fc_id, [tuple(p) for p in products], fragment(2), fragment(123), "kowals", old[0][0]
        )

    def list_queries(self) -> dict[str, dict[str, str]]:
        return {
            "no filter": {},
            "status=AwaitingArrival": {"status": "AwaitingArrival"},
            "q=SKU substring": {"q": self.sku_fragment},
            "q=long-tail SKU": {"q": self.rare_sku_fragment},
            "q=customer fragment": {"q": self.name_fragment},
            "q=full tracking no.": {"q": self.tracking_number},
        }


def _raw_page(raw: Raw, fixture: Fixture, params: dict[str, str]) -> Callable[[], Any]:
    return lambda: raw.first_page(fixture.merchant_id, status=params.get("status"), q=params.get("q"))


def _api_page(client: httpx.Client, params: dict[str, str]) -> Callable[[], Any]:
    def call() -> None:
        response = client.get("/returns", params={**params, "limit": 50})
        response.raise_for_status()

    return call


def list_latencies(
    targets: dict[int, tuple[Server, Fixture]], repeat: int
) -> dict[int, dict[str, tuple[Stats, Stats]]]:
    """#3/#8: (API, raw SQL) latencies of each first-page query at each size, the calls interleaved
    (API small, raw small, API large, raw large, ...) so that the box's noise hits every figure alike."""
    raws = {size: Raw(fixture.url) for size, (_, fixture) in targets.items()}
    clients = {size: api.client(BIG) for size, (api, _) in targets.items()}
    out: dict[int, dict[str, tuple[Stats, Stats]]] = {size: {} for size in targets}
    kind = next(iter(targets.values()))[1].kind
    try:
        for name in next(iter(targets.values()))[1].list_queries():
            calls = []
            for size, (_, fixture) in targets.items():
                params = fixture.list_queries()[name]
                calls.append((size, _api_page(clients[size], params), _raw_page(raws[size], fixture, params)))
            for _ in range(5):
                for _, api_call, raw_call in calls:
                    api_call()
                    raw_call()
            stats = {size: (Stats(), Stats()) for size in targets}
            with progress() as bar:
                task = bar.add_task(f"{kind} {name}", total=repeat)
                for _ in range(repeat):
                    for size, api_call, raw_call in calls:
                        stats[size][0].add(_time(api_call))
                        stats[size][1].add(_time(raw_call))
                    bar.advance(task)
            for size in targets:
                out[size][name] = stats[size]
    finally:
        for raw in raws.values():
            raw.close()
        for client in clients.values():
            client.close()
    return out


def _time(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def row3(
    kind: str, small: dict[str, tuple[Stats, Stats]], large: dict[str, tuple[Stats, Stats]], sizes: tuple[int, int]
) -> list[Result]:
    results = []
    for name, (api_stats, raw_stats) in large.items():
        vs_raw = ratio(api_stats.p95, raw_stats.p95)
        growth = ratio(api_stats.p95, small[name][0].p95)
        detail = f"API {api_stats.ms()}; raw {raw_stats.ms()}; p95 at {sizes[0]:,} {small[name][0].p95 * 1000:.1f} ms"
        results.append(Result("3", kind, f"GET /returns {name}: p95 vs raw", vs_raw, "≤ 3×", vs_raw <= 3, detail))
        results.append(
            Result(
                "3",
                kind,
                f"GET /returns {name}: p95 growth {sizes[0]:,} → {sizes[1]:,}",
                growth,
                "≤ 2×",
                growth <= 2,
                f"p95 {small[name][0].p95 * 1000:.1f} → {api_stats.p95 * 1000:.1f} ms",
            )
        )
    return results


def row8(kind: str, large: dict[str, tuple[Stats, Stats]]) -> list[Result]:
    api_stats, raw_stats = large["no filter"]
    vs_raw = ratio(api_stats.p50, raw_stats.p50)
    spread = ratio(api_stats.p95, api_stats.p50)
    return [
        Result(
            "8",
            kind,
            "first page of 50 (lines, history, fees): p50 vs raw",
            vs_raw,
            "≤ 3×",
            vs_raw <= 3,
            f"API {api_stats.ms()}; raw {raw_stats.ms()}",
        ),
        Result("8", kind, "first page of 50: API p95 / p50", spread, "≤ 2×", spread <= 2, api_stats.ms()),
    ]


def row8_parts(api: Server, fixture: Fixture, repeat: int) -> list[Result]:
    """#8, where a page's time goes (no target): the same first page of 1 and of 50 over HTTP, beside the
    cheapest request the server answers (GET /healthz: HTTP, the middleware, no authentication, no SQL) and
    the raw page, interleaved call by call. (page of 50 - page of 1) / 49 is the cost of one more return."""
    raw = Raw(fixture.url)
    health = httpx.Client(base_url=api.base, timeout=120)
    try:
        with api.client(BIG) as client:
            calls = {
                "healthz": lambda: health.get("/healthz").raise_for_status(),
                "page of 1": lambda: client.get("/returns", params={"limit": 1}).raise_for_status(),
                "page of 50": lambda: client.get("/returns", params={"limit": 50}).raise_for_status(),
                "raw page of 50": lambda: raw.first_page(fixture.merchant_id),
            }
            for call in calls.values():
                call()
            stats = {name: Stats() for name in calls}
            with progress() as bar:
                task = bar.add_task(f"{fixture.kind} page parts", total=repeat)
                for _ in range(repeat):
                    for name, call in calls.items():
                        stats[name].add(_time(call))
                    bar.advance(task)
    finally:
        health.close()
        raw.close()
    p50 = {name: s.p50 * 1000 for name, s in stats.items()}
    per_return = (p50["page of 50"] - p50["page of 1"]) / 49
    detail = (
        f"p50: GET /healthz {p50['healthz']:.1f} ms; page of 1 {p50['page of 1']:.1f} ms; page of 50 "
        f"{p50['page of 50']:.1f} ms, so {per_return:.2f} ms per return beyond the first; raw page of 50 "
        f"{p50['raw page of 50']:.1f} ms (n={repeat})"
    )
    figure = ratio(p50["page of 1"], p50["raw page of 50"])
    workload = "where a page's time goes: page of 1 vs raw page of 50"
    return [Result("8", fixture.kind, workload, figure, "—", None, detail)]


def row4(api: Server, fixture: Fixture, repeat: int) -> list[Result]:
    """#4: page 1,000 (or the deepest page the data has) vs page 1 of status=Completed, by keyset cursor."""
    raw = Raw(fixture.url)
    count = raw.one(
        "SELECT count(*) FROM return_orders WHERE merchant_id = ? AND status = 'Completed'", [fixture.merchant_id]
    )
    page = max(2, min(1000, count // 50))
    after = raw.one(
        "SELECT id FROM return_orders WHERE merchant_id = ? AND status = 'Completed' ORDER BY id DESC LIMIT 1 OFFSET ?",
        [fixture.merchant_id, (page - 1) * 50 - 1],
    )
    raw.close()
    params = {"status": "Completed"}
    with api.client(BIG) as client:
        first = timed(repeat, _api_page(client, params), f"{fixture.kind} page 1")
        deep = timed(
            repeat, _api_page(client, {**params, "cursor": encode_cursor(after)}), f"{fixture.kind} page {page}"
        )
    figure = ratio(deep.p95, first.p95)
    return [
        Result(
            "4",
            fixture.kind,
            f"keyset page {page:,} vs page 1 (p95)",
            figure,
            "≤ 1.2×",
            figure <= 1.2,
            f"page 1 {first.ms()}; page {page} {deep.ms()}",
        )
    ]


def _in_threads(clients: int, work: Callable[[int], None]) -> float:
    """Run `work(i)` in `clients` threads at once; the wall time of all of them."""
    barrier = threading.Barrier(clients)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except BaseException as error:  # reported after the join
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def row1(api: Server, fixture: Fixture, per_client: int, clients: int = 4, rounds: int = 2) -> list[Result]:
    """#1: POST /returns (2 lines) from 4 clients vs the same rows by raw SQL, one transaction per return.

    API and raw runs alternate for `rounds` rounds; each side's best round counts (the box is shared)."""
    api_rates, raw_rates = [], []
    for round_ in range(rounds):
        run_id = f"{round_}{random.randrange(10**6):06d}"
        api_rates.append(
            _create_rate(
                clients,
                per_client,
                f"{fixture.kind} POST /returns x{clients}",
                _poster(api, fixture, run_id, per_client),
            )
        )
        raw_rates.append(
            _create_rate(
                clients, per_client, f"{fixture.kind} raw inserts x{clients}", _inserter(fixture, run_id, per_client)
            )
        )
    figure = max(api_rates) / max(raw_rates)
    rates = ", ".join(f"{a:.0f}/{r:.0f}" for a, r in zip(api_rates, raw_rates, strict=True))
    detail = f"API {max(api_rates):.0f}/s vs raw {max(raw_rates):.0f}/s (best round; rounds API/raw {rates};"
    detail += f" {per_client * clients} returns each)"
    return [
        Result(
            "1",
            fixture.kind,
            f"POST /returns, {clients} clients, vs raw inserts",
            figure,
            "≥ 0.35×",
            figure >= 0.35,
            detail,
        )
    ]


def _create_rate(clients: int, per_client: int, label: str, work: Callable[[int, Callable[[], None]], None]) -> float:
    with progress() as bar:
        task = bar.add_task(label, total=per_client * clients)
        seconds = _in_threads(clients, lambda i: work(i, lambda: bar.advance(task)))
    return per_client * clients / seconds


def _poster(api: Server, fixture: Fixture, run_id: str, count: int) -> Callable[[int, Callable[[], None]], None]:
    products = fixture.products[:200]

    def post(i: int, advance: Callable[[], None]) -> None:
        rng = random.Random(i)
        with api.client(BIG) as client:
            for n in range(count):
                pair = rng.sample(products, 2)
                body = {
                    "reference_id": f"BENCH-{run_id}-{i}-{n:05d}",
                    "fulfillment_center_id": fixture.fc_id,
                    "customer_name": "bench client",
                    "inventory": [{"sku": sku, "quantity": 1} for _, sku, _ in pair],
                }
                client.post("/returns", json=body).raise_for_status()
                advance()

    return post


def _inserter(fixture: Fixture, run_id: str, count: int) -> Callable[[int, Callable[[], None]], None]:
    products = fixture.products[:200]

    def insert(i: int, advance: Callable[[], None]) -> None:
        rng = random.Random(i)
        raw = Raw(fixture.url)
        for n in range(count):
            raw.insert_return(fixture.merchant_id, fixture.fc_id, f"RAW-{run_id}-{i}-{n:05d}", rng.sample(products, 2))
            advance()
        raw.close()

    return insert


def add_merchant(writer: BulkWriter, name: str, now: datetime) -> tuple[str, str]:
    """A new merchant with an API key, written in bulk like the seed; returns (merchant id, API key)."""
    merchant_id = f"mer_{name}{random.randrange(10**8):08d}"
    key = f"bkm_bench_{name}_{merchant_id}"
    writer.write(core.merchants, [{"id": merchant_id, "name": name.title(), "currency_code": "USD", "created_at": now}])
    credential = {
        "id": f"cred_{merchant_id}",
        "role": "Merchant",
        "name": name,
        "token_hash": hash_token(key),
        "merchant_id": merchant_id,
        "operator_id": None,
        "created_at": now,
    }
    writer.write(core.credentials, [credential])
    return merchant_id, key


def add_bulk_merchant(url: str, skus: int) -> tuple[str, str]:
    """A merchant with `skus` products for #5 (written in bulk like the seed); returns (merchant id, API key)."""
    engine = create_engine(url)
    writer = BulkWriter(engine)
    now = datetime.now(UTC)
    try:
        merchant_id, key = add_merchant(writer, "bulk", now)
        rows = product_rows(merchant_id, "bulk", skus, random.Random(5), now)
        for first in range(0, len(rows), 20_000):
            writer.write(core.products, rows[first : first + 20_000])
    finally:
        engine.dispose()
    return merchant_id, key


def row5_and_7(api: Server, fixture: Fixture, skus: int, workdir: Path) -> list[Result]:
    """#5 bulk preferences CSV (API and CLI) vs raw executemany; #7 the API's peak RSS during it and an export."""
    merchant_id, key = add_bulk_merchant(fixture.url, skus)
    sku_list = [f"bulk-sku-{k:06d}" for k in range(1, skus + 1)]
    csv_text = "sku,return_action\n" + "".join(f"{sku},Quarantine\n" for sku in sku_list)
    results = []
    api.reset_peak_rss()
    with console.status(f"{fixture.kind} POST bulk CSV ({skus:,} rows)"), api.client(key) as client:
        started = time.perf_counter()
        response = client.post(
            "/products/return-preferences/bulk", content=csv_text, headers={"Content-Type": "text/csv"}
        )
        api_seconds = time.perf_counter() - started
    bulk_rss = api.peak_rss_mib()
    with console.status(f"{fixture.kind} raw executemany ({skus:,} rows)"):
        raw = Raw(fixture.url)
        started = time.perf_counter()
        raw.update_preferences(merchant_id, [(sku, "Dispose") for sku in sku_list])
        raw_seconds = time.perf_counter() - started
        raw.close()
    raw_rate = skus / raw_seconds
    if response.status_code == 200:
        figure = (skus / api_seconds) / raw_rate
        met = figure >= 0.25 and api_seconds <= 10
        detail = f"API {api_seconds:.1f} s ({skus / api_seconds:,.0f} rows/s) vs raw {raw_rate:,.0f} rows/s"
    else:
        figure, met = None, False
        detail = f"API answered HTTP {response.status_code} after {api_seconds:.1f} s; raw {raw_rate:,.0f} rows/s"
    results.append(
        Result("5", fixture.kind, f"bulk preferences CSV, {skus:,} SKUs (API)", figure, "≥ 0.25×, ≤ 10 s", met, detail)
    )
    results.append(_cli_import(fixture, merchant_id, csv_text, skus, raw_rate, workdir))
    api.reset_peak_rss()
    with console.status(f"{fixture.kind} CSV export ({skus:,} products)"), api.client(key) as client:
        started = time.perf_counter()
        exported = client.get("/products/return-preferences/export")
        export_seconds = time.perf_counter() - started
    export_rss = api.peak_rss_mib()
    results.append(
        Result(
            "7",
            fixture.kind,
            f"peak RSS, bulk CSV {skus:,}",
            bulk_rss,
            "≤ 300 MB",
            bulk_rss <= 300,
            f"{bulk_rss:.0f} MiB",
        )
    )
    results.append(
        Result(
            "7",
            fixture.kind,
            f"peak RSS, CSV export {skus:,} products",
            export_rss,
            "≤ 300 MB",
            export_rss <= 300,
            f"{export_rss:.0f} MiB; HTTP {exported.status_code} in {export_seconds:.1f} s",
        )
    )
    return results


def _cli_import(fixture: Fixture, merchant_id: str, csv_text: str, skus: int, raw_rate: float, workdir: Path) -> Result:
    path = workdir / "bulk.csv"
    path.write_text(csv_text.replace("Quarantine", "Restock"))
    env = {"BOOMERANG_DATABASE_URL": fixture.url, "PATH": str(BIN)}
    with console.status(f"{fixture.kind} boomerang import-preferences ({skus:,} rows)"):
        started = time.perf_counter()
        done = subprocess.run(
            [str(BIN / "boomerang"), "import-preferences", str(path), "--merchant", merchant_id],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        return Result(
            "5",
            fixture.kind,
            f"bulk preferences CSV, {skus:,} SKUs (CLI)",
            None,
            "≥ 0.25×, ≤ 10 s",
            False,
            f"CLI failed (exit {done.returncode}) after {seconds:.1f} s",
        )
    figure = (skus / seconds) / raw_rate
    return Result(
        "5",
        fixture.kind,
        f"bulk preferences CSV, {skus:,} SKUs (CLI)",
        figure,
        "≥ 0.25×, ≤ 10 s",
        figure >= 0.25 and seconds <= 10,
        f"CLI {seconds:.1f} s incl. start-up ({skus / seconds:,.0f} rows/s)",
    )


def row7_list(kind: str, peak: float) -> Result:
    return Result("7", kind, "peak RSS, list/search workload (#3)", peak, "≤ 300 MB", peak <= 300, f"{peak:.0f} MiB")


def row9(api: Server, fixture: Fixture, seconds: float) -> list[Result]:
    """#9 (SQLite): 8 readers alone, then 8 readers while 2 clients write; reader p95 ratio."""
    alone = _readers(api, fixture, seconds, writers=0)
    mixed = _readers(api, fixture, seconds, writers=2)
    figure = ratio(mixed.p95, alone.p95)
    return [
        Result(
            "9",
            fixture.kind,
            "8 readers with 2 writers vs readers alone (p95)",
            figure,
            "≤ 2×",
            figure <= 2,
            f"alone {alone.ms()}; with writers {mixed.ms()}",
        )
    ]


def _readers(api: Server, fixture: Fixture, seconds: float, writers: int) -> Stats:
    stats = Stats()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    products = fixture.products[:100]

    def work(i: int) -> None:
        with api.client(BIG) as client:
            n = 0
            while time.perf_counter() < deadline:
                n += 1
                if i < writers:
                    sku = products[(i * 7 + n) % len(products)][1]
                    body = {
                        "reference_id": f"RW-{i}-{n:06d}-{random.randrange(10**6)}",
                        "fulfillment_center_id": fixture.fc_id,
                        "inventory": [{"sku": sku, "quantity": 1}],
                    }
                    client.post("/returns", json=body).raise_for_status()
                    continue
                started = time.perf_counter()
                client.get("/returns", params={"limit": 50}).raise_for_status()
                with lock:
                    stats.add(time.perf_counter() - started)

    with console.status(f"{fixture.kind} 8 readers, {writers} writers, {seconds:.0f} s"):
        _in_threads(8 + writers, work)
    return stats


def row2(api: Server, fixture: Fixture, flows: int) -> list[Result]:
    """#2: dock scan → start → inspect each line → complete over HTTP (one operator) vs the same by raw SQL."""
    raw = Raw(fixture.url)
    waiting = raw.all(
        "SELECT id, fulfillment_center_id, tracking_number FROM return_orders WHERE merchant_id = ?"
        " AND status = 'AwaitingArrival' AND tracking_number IS NOT NULL ORDER BY id DESC LIMIT ?",
        [fixture.merchant_id, 2 * flows],
    )
    flows = len(waiting) // 2
    with progress() as bar, api.client(OPERATOR_TOKEN) as client:
        task = bar.add_task(f"{fixture.kind} dock-to-done over HTTP", total=flows)
        started = time.perf_counter()
        for return_id, fc_id, tracking in waiting[:flows]:
            _process_over_http(client, return_id, fc_id, tracking)
            bar.advance(task)
        api_seconds = time.perf_counter() - started
        task = bar.add_task(f"{fixture.kind} dock-to-done by raw SQL", total=flows)
        processing = RawProcessing(raw)
        started = time.perf_counter()
        for return_id, fc_id, tracking in waiting[flows : 2 * flows]:
            processing.run(return_id, fixture.merchant_id, fc_id, tracking)
            bar.advance(task)
        raw_seconds = time.perf_counter() - started
    raw.close()
    api_rate, raw_rate = flows / api_seconds, flows / raw_seconds
    figure = api_rate / raw_rate
    detail = f"API {api_rate:.1f} returns/s vs raw {raw_rate:.1f}/s ({flows} returns of 3 lines each)"
    return [
        Result("2", fixture.kind, "dock scan → start → inspect → complete", figure, "≥ 0.30×", figure >= 0.30, detail)
    ]


def _process_over_http(client: httpx.Client, return_id: str, fc_id: str, tracking: str) -> None:
    receipt = client.post("/warehouse/receipts", json={"fulfillment_center_id": fc_id, "scanned": tracking})
    receipt.raise_for_status()
    started = client.post(f"/returns/{return_id}/start-processing")
    started.raise_for_status()
    for line in started.json()["inventory"]:
        body = {"quantity_received": line["quantity"]}
        client.put(f"/returns/{return_id}/inventory/{line['id']}/inspection", json=body).raise_for_status()
    client.post(f"/returns/{return_id}/complete").raise_for_status()
