"""`python -m bench [--full]`: every row of issue 14's table on SQLite and PostgreSQL (see docs/performance.md)."""

from __future__ import annotations

import argparse
import json
import os
import platform
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table

from bench import workloads as w
from bench.dashboard_queries import row6
from bench.exports import row7_export
from bench.harness import Result, console, seed, server, temp_database, workdir
from bench.multi_process import row10
from bench.product_picker import row11
from bench.seed_cache import drop_cache, fill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="the full sizes (slow)")
    parser.add_argument("--returns", type=int, help="the large data set's size (default 20,000; --full 1,000,000)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], action="append", help="default: both")
    parser.add_argument("--out", type=Path, default=Path("bench/results/last.json"))
    parser.add_argument("--skus", type=int, help="catalog size of #5, #7 and #11 (default 10,000; --full 100,000)")
    parser.add_argument(
        "--cache",
        action="store_true",
        help="copy seeded data sets from a cache kept between runs (bench/seed_cache.py)",
    )
    parser.add_argument("--export-rows", type=int, help="rows of #7's large CSV export (default 20,000; --full 1M)")
    parser.add_argument("--drop-cache", action="store_true", help="remove every cached data set, then stop")
    parser.add_argument(
        "--picker-only", action="store_true", help="only #11, New return and its product picker at --skus products"
    )
    parser.add_argument(
        "--bulk-only", action="store_true", help="only #5 and #7's bulk CSV and export, on one data set of --returns"
    )
    args = parser.parse_args()
    if args.drop_cache:
        drop_cache()
        return
    populate = fill if args.cache else lambda kind, url, returns: seed(url, returns)
    skus = args.skus or (100_000 if args.full else 10_000)
    if args.picker_only:
        results = []
        with workdir() as tmp:
            for kind in args.db or ["sqlite", "postgres"]:
                results += run_picker_only(kind, tmp, skus, 100 if args.full else 60)
        report(results, (0, 0), skus)
        save(results, (0, 0), skus, args.out)
        return
    if args.bulk_only:
        returns = args.returns or 2_000
        results = []
        with workdir() as tmp:
            for kind in args.db or ["sqlite", "postgres"]:
                results += run_bulk_only(kind, tmp, returns, skus, populate)
        report(results, (returns, returns), skus)
        save(results, (returns, returns), skus, args.out)
        return
    large = args.returns or (1_000_000 if args.full else 20_000)
    sizes = (2_000, large)
    repeat = 100 if args.full else 60
    export_rows = args.export_rows or (1_000_000 if args.full else 20_000)
    results: list[Result] = []
    with workdir() as tmp:
        for kind in args.db or ["sqlite", "postgres"]:
            results += run_database(
                kind, tmp, sizes, skus, repeat, 20 if args.full else 10, 100 if args.full else 30, populate, export_rows
            )
    report(results, sizes, skus)
    save(results, sizes, skus, args.out)


Populate = Callable[[str, str, int], float]


def run_database(
    kind: str,
    tmp: Path,
    sizes: tuple[int, int],
    skus: int,
    repeat: int,
    window: float,
    flows: int,
    populate: Populate,
    export_rows: int,
) -> list[Result]:
    """Both data sets side by side (so #3's growth compares calls made at the same moments), then the rest."""
    small, large = sizes
    results: list[Result] = []
    with temp_database(kind, tmp, f"r{small}") as small_url, temp_database(kind, tmp, f"r{large}") as url:
        for size, target in ((small, small_url), (large, url)):
            console.print(f"[bold]{kind}: seeding {size:,} returns[/bold]")
            console.print(f"  seeded in {populate(kind, target, size):.0f} s")
        fixtures = {small: w.Fixture.load(kind, small_url), large: w.Fixture.load(kind, url)}
        with server(small_url, tmp) as small_api, server(url, tmp) as api:
            api.reset_peak_rss()
            latencies = w.list_latencies({small: (small_api, fixtures[small]), large: (api, fixtures[large])}, repeat)
            results.append(w.row7_list(kind, api.peak_rss_mib()))
            small_api.stop()
            fixture = fixtures[large]
            results += w.row3(kind, latencies[small], latencies[large], sizes)
            results += w.row8(kind, latencies[large])
            results += guarded("8", kind, lambda: w.row8_parts(api, fixtures[large], repeat))
            results += guarded("4", kind, lambda: w.row4(api, fixture, repeat))
            results += guarded("1", kind, lambda: w.row1(api, fixture, per_client=50))
            results += guarded("2", kind, lambda: w.row2(api, fixture, flows=flows))
            if kind == "sqlite":
                results += guarded("9", kind, lambda: w.row9(api, fixture, window))
            results += guarded("5", kind, lambda: w.row5_and_7(api, fixture, skus, tmp))
            results += guarded("7", kind, lambda: row7_export(api, kind, url, export_rows))
        results += guarded("6", kind, lambda: row6(kind, url, fixture.merchant_id, repeat))
        results += guarded("11", kind, lambda: row11(kind, tmp, skus, repeat))
        if kind == "postgres":
            results += guarded("10", kind, lambda: row10(fixture, tmp, window))
    return results


def run_bulk_only(kind: str, tmp: Path, returns: int, skus: int, populate: Populate) -> list[Result]:
    """Rows 5 and 7 (bulk CSV, its CLI import, the export) alone, on one data set of `returns` returns."""
    with temp_database(kind, tmp, f"bulk{returns}") as url:
        console.print(f"[bold]{kind}: seeding {returns:,} returns[/bold]")
        console.print(f"  seeded in {populate(kind, url, returns):.0f} s")
        fixture = w.Fixture.load(kind, url)
        with server(url, tmp) as api:
            return guarded("5", kind, lambda: w.row5_and_7(api, fixture, skus, tmp))


def run_picker_only(kind: str, tmp: Path, skus: int, repeat: int) -> list[Result]:
    """Row 11 (New return and its product picker at `skus` products) alone, on its own database."""
    return guarded("11", kind, lambda: row11(kind, tmp, skus, repeat))


def guarded(row: str, kind: str, workload: Callable[[], list[Result]]) -> list[Result]:
    """A workload that fails is reported as a miss with its error; the other rows still run."""
    try:
        return workload()
    except Exception as error:
        console.print_exception()
        return [Result(row, kind, "failed", None, "—", False, f"{type(error).__name__}: {error}"[:300])]


def report(results: list[Result], sizes: tuple[int, int], skus: int) -> None:
    table = Table(title=f"Boomerang benchmarks: {sizes[1]:,} returns (growth from {sizes[0]:,}), {skus:,} SKUs")
    for column in ("#", "db", "workload", "figure", "target", "met", "absolute"):
        table.add_column(column, overflow="fold")
    for r in sorted(results, key=lambda r: (int(r.row) if r.row.isdigit() else 99, r.db)):
        figure = "—" if r.figure is None else (f"{r.figure:.0f} MiB" if r.row == "7" else f"{r.figure:.2f}×")
        met = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "—"}[r.met]
        table.add_row(r.row, r.db, r.workload, figure, r.target, met, r.detail)
    console.print(table, width=max(console.width, 180))


def save(results: list[Result], sizes: tuple[int, int], skus: int, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()}
    payload = {
        "at": datetime.now(UTC).isoformat(),
        "sizes": sizes,
        "skus": skus,
        "machine": machine,
        "results": [r.as_dict() for r in results],
    }
    out.write_text(json.dumps(payload, indent=2))
    console.print(f"results written to {out}")


if __name__ == "__main__":
    main()
