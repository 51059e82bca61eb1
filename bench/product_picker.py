"""Row 11 (issue 22, item 4): the New return page and its product picker at N products.

New return used to read the merchant's whole catalog (then keep 500): 4.6 s a page at 100,000 products.
Target: the page and each picker search in ≤ 150 ms (p95) at N products. The figure is the ratio to the
same call for a merchant of BASELINE_PRODUCTS products, measured in the same run on the same server, the
calls interleaved: how much of the time grows with the catalog. `python -m bench --picker-only --skus N`
runs this row alone.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine

from bench.harness import Result, Server, Stats, console, progress, ratio, temp_database
from boomerang.adapters import migrate
from boomerang.adapters.bulk_writer import BulkWriter, analyze
from boomerang.adapters.db import make_engine, make_session_factory
from boomerang.adapters.tables import core
from boomerang.bootstrap import make_uow_factory
from boomerang.sample.bench_catalog import product_rows
from boomerang.services import admin
from boomerang.services.auth import SYSTEM

BASELINE_PRODUCTS = 100
TARGET_SECONDS = 0.150
PASSWORD = "bench-password-123"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
AT_ONCE = 6  # the probe's "6 at once"


def row11(kind: str, workdir: Path, products: int, repeat: int) -> list[Result]:
    """The page and the picker's searches at `products` products vs BASELINE_PRODUCTS, on a fresh database."""
    with development(), temp_database(kind, workdir, "picker") as url:
        engine = make_engine(url)
        try:
            with console.status(f"{kind}: {products:,} + {BASELINE_PRODUCTS} products for the picker"):
                started = time.perf_counter()
                migrate.upgrade(engine)
                large = _merchant(engine, "large", products)
                small = _merchant(engine, "small", BASELINE_PRODUCTS)
                analyze(engine)
            console.print(f"  picker catalog written in {time.perf_counter() - started:.0f} s")
        finally:
            engine.dispose()
        api = Server(url, workdir)
        try:
            with _signed_in(api, large[0]) as big, _signed_in(api, small[0]) as little:
                return _measure(kind, products, repeat, big, little, large[1], small[1])
        finally:
            api.stop()


@contextmanager
def development() -> Iterator[None]:
    """A development server: its session cookie is not `Secure`, so a client over http:// keeps it."""
    before = os.environ.get("BOOMERANG_ENVIRONMENT")
    os.environ["BOOMERANG_ENVIRONMENT"] = "development"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("BOOMERANG_ENVIRONMENT", None)
        else:
            os.environ["BOOMERANG_ENVIRONMENT"] = before


def _merchant(engine: Engine, name: str, products: int) -> tuple[str, dict[str, str]]:
    """A merchant with `products` bench products and a dashboard user; returns (email, picker needles)."""
    now = datetime.now(UTC)
    merchant_id = f"mch_picker_{name}"
    writer = BulkWriter(engine)
    writer.write(
        core.merchants, [{"id": merchant_id, "name": f"Picker {name}", "currency_code": "USD", "created_at": now}]
    )
    rows = product_rows(merchant_id, "pk", products, random.Random(11), now)
    for first in range(0, len(rows), 20_000):
        writer.write(core.products, rows[first : first + 20_000])
    email = f"picker-{name}@example.com"
    with make_uow_factory(make_session_factory(engine))(SYSTEM) as uow:
        admin.create_user(uow, email=email, password=PASSWORD, role="Merchant", merchant_id=merchant_id)
    middle = rows[len(rows) // 2]
    needles = {
        "SKU prefix": str(middle["sku"])[:-2],  # "pk-sku-0500": a page of SKUs
        "name word": "jacket",  # in about one product in six
        "name words": str(middle["name"]).lower(),  # "trail boot amber": three words, rarer
        "full barcode": str(middle["barcodes"][0]),  # one product
        "no match": "zzqx",
    }
    return email, needles


@contextmanager
def _signed_in(api: Server, email: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.base, timeout=120) as client:
        token = CSRF.search(client.get("/login").text)
        assert token, "no CSRF token on /login"
        answer = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
        signed_in = answer.status_code == 303 and not answer.headers.get("location", "").startswith("/login")
        assert signed_in, f"sign-in failed: HTTP {answer.status_code}"
        yield client


def _get(client: httpx.Client, path: str, params: dict[str, str] | None = None) -> Callable[[], int]:
    def call() -> int:
        response = client.get(path, params=params)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} {params or ''} answered {response.status_code}")
        return len(response.content)

    return call


def _interleaved(big: Callable[[], int], little: Callable[[], int], repeat: int, label: str) -> tuple[Stats, Stats]:
    for _ in range(3):
        big()
        little()
    stats = (Stats(), Stats())
    with progress() as bar:
        task = bar.add_task(label, total=repeat)
        for _ in range(repeat):
            for call, into in ((big, stats[0]), (little, stats[1])):
                started = time.perf_counter()
                call()
                into.add(time.perf_counter() - started)
            bar.advance(task)
    return stats


def _measure(
    kind: str,
    products: int,
    repeat: int,
    big: httpx.Client,
    little: httpx.Client,
    needles: dict[str, str],
    small_needles: dict[str, str],
) -> list[Result]:
    results = []
    calls = {"GET /returns/new": ("/returns/new", None, None)}
    for name, needle in needles.items():
        calls[f"picker search, {name}"] = ("/returns/product-search", {"q": needle}, {"q": small_needles[name]})
    for workload, (path, params, small_params) in calls.items():
        try:
            size = _get(big, path, params)()
        except RuntimeError as error:  # the code before the picker had no search page
            results.append(
                Result("11", kind, f"{workload} ({products:,} products)", None, "≤ 150 ms p95", False, str(error))
            )
            continue
        large, small = _interleaved(_get(big, path, params), _get(little, path, small_params), repeat, workload)
        figure = ratio(large.p95, small.p95)
        met = large.p95 <= TARGET_SECONDS
        detail = f"{products:,} products: {large.ms()}, {size:,} bytes; {BASELINE_PRODUCTS}: {small.ms()}"
        results.append(Result("11", kind, f"{workload} ({products:,} products)", figure, "≤ 150 ms p95", met, detail))
    results.append(_at_once(kind, products, big, repeat))
    return results


def _at_once(kind: str, products: int, client: httpx.Client, repeat: int) -> Result:
    """AT_ONCE clients loading the page together (the probe's 6 at once took 19 s and 1.5 GB)."""
    cookies = dict(client.cookies)
    stats = Stats()
    failures: list[str] = []
    lock = threading.Lock()
    rounds = max(5, repeat // AT_ONCE)

    def work() -> None:
        with httpx.Client(base_url=str(client.base_url), cookies=cookies, timeout=120) as own:
            load = _get(own, "/returns/new")
            for _ in range(rounds):
                started = time.perf_counter()
                try:
                    load()
                except RuntimeError as error:  # the code before the picker answered 503 under this load
                    with lock:
                        failures.append(str(error))
                    continue
                with lock:
                    stats.add(time.perf_counter() - started)

    threads = [threading.Thread(target=work) for _ in range(AT_ONCE)]
    with console.status(f"{kind}: {AT_ONCE} clients loading New return at once"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    workload = f"GET /returns/new, {AT_ONCE} at once ({products:,} products)"
    if not stats.samples:
        return Result("11", kind, workload, None, "≤ 450 ms p95 (3 × 150)", False, f"every load failed: {failures[0]}")
    met = stats.p95 <= TARGET_SECONDS * 3 and not failures
    detail = f"{AT_ONCE} clients × {rounds}: {stats.ms()}; {len(failures)} failed; figure = p95 / 150 ms"
    return Result("11", kind, workload, stats.p95 / TARGET_SECONDS, "≤ 450 ms p95 (3 × 150)", met, detail)
