"""Row 10: several API processes against one PostgreSQL. 1, 2 and 4 `boomerang serve` processes, with
8 client threads spread over them (round-robin, as a load balancer would), each running a mixed
workload for a fixed window: per 10 requests 2 `POST /returns` (2 lines), 2 `GET /returns/{id}` of
what it created, 4 first pages of `GET /returns` and 2 `q=` searches. The figure is the throughput of
N processes over 1 process, measured in the same run (the clients share the 2 cores with the servers)."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

from bench.harness import Result, Server, console
from bench.workloads import BIG, Fixture

PROCESSES = (1, 2, 4)
CLIENTS = 8


def _client_loop(api: Server, fixture: Fixture, tag: str, stop: threading.Event, done: list[int]) -> None:
    rng = random.Random(tag)
    products = fixture.products[:200]
    created: list[str] = []
    with api.client(BIG) as client:
        n = 0
        while not stop.is_set():
            step = n % 10
            if step in (0, 5):
                pair = rng.sample(products, 2)
                body = {
                    "reference_id": f"MP-{tag}-{n:06d}",
                    "fulfillment_center_id": fixture.fc_id,
                    "customer_name": "multi process",
                    "inventory": [{"sku": sku, "quantity": 1} for _, sku, _ in pair],
                }
                response = client.post("/returns", json=body)
                response.raise_for_status()
                created.append(response.json()["id"])
            elif step in (1, 6):
                client.get(f"/returns/{created[-1]}").raise_for_status()
            elif step in (2, 7):
                client.get("/returns", params={"q": fixture.sku_fragment, "limit": 50}).raise_for_status()
            else:
                client.get("/returns", params={"limit": 50}).raise_for_status()
            n += 1
            done[0] += 1


def throughput(servers: list[Server], fixture: Fixture, window: float, label: str) -> float:
    stop = threading.Event()
    run_id = f"{random.randrange(10**6):06d}"
    counts = [[0] for _ in range(CLIENTS)]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            _client_loop(servers[i % len(servers)], fixture, f"{len(servers)}-{i}-{run_id}", stop, counts[i])
        except BaseException as error:  # reported after the window
            errors.append(error)
            stop.set()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    with console.status(f"{label}: {CLIENTS} clients for {window:.0f} s"):
        for thread in threads:
            thread.start()
        time.sleep(1)  # warm-up: connections, first plans
        before = sum(c[0] for c in counts)
        started = time.perf_counter()
        time.sleep(window)
        after = sum(c[0] for c in counts)
        elapsed = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join(60)
    if errors:
        raise errors[0]
    return (after - before) / elapsed


def row10(fixture: Fixture, workdir: Path, window: float) -> list[Result]:
    rates: dict[int, float] = {}
    for count in PROCESSES:
        servers = [Server(fixture.url, workdir) for _ in range(count)]
        try:
            rates[count] = throughput(servers, fixture, window, f"postgres {count} API process(es)")
        finally:
            for api in servers:
                api.stop()
    absolute = ", ".join(f"{n} process{'es' if n > 1 else ''} {rates[n]:.0f} req/s" for n in PROCESSES)
    results = []
    for count in PROCESSES[1:]:
        figure = rates[count] / rates[1]
        results.append(
            Result(
                "10",
                fixture.kind,
                f"{count} API processes vs 1: mixed-workload throughput ({CLIENTS} clients)",
                figure,
                "— (2 cores)",
                None,
                absolute,
            )
        )
    return results
