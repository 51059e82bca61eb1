"""Overview: the merchant's returns at a glance, each chart with its table and a CSV download."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from boomerang.domain.errors import NotFound
from boomerang.entrypoints.web.dashboard import charts
from boomerang.entrypoints.web.dashboard.csv_response import csv_download
from boomerang.entrypoints.web.deps import MerchantLaggingPage, verify_csrf
from boomerang.entrypoints.web.templating import page
from boomerang.services.read_models.overview import PERIODS, Overview, load_overview

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/")
def overview(request: Request, uow: MerchantLaggingPage, days: int = 30) -> Response:
    with uow:
        data = load_overview(uow, days=days)  # plain values: nothing to load after the unit of work
    per_day = charts.stacked_columns(
        f"Returns per day, last {data.days} days",
        [d.day.isoformat() for d in data.per_day],
        {"Regular": [d.regular for d in data.per_day], "RTS": [d.rts for d in data.per_day]},
    )
    dispositions = charts.horizontal_bars(f"Units by disposition, last {data.days} days", data.dispositions)
    return page(
        request,
        "dashboard/overview.html",
        {"data": data, "periods": PERIODS, "per_day_chart": per_day, "disposition_chart": dispositions},
    )


@router.get("/overview/{chart}.csv")
def overview_csv(uow: MerchantLaggingPage, chart: str, days: int = 30) -> Response:
    with uow:
        data = load_overview(uow, days=days)
    header, rows = _chart_table(data, chart)
    return csv_download(f"{chart}-{data.days}d.csv", header, rows)


def _chart_table(data: Overview, chart: str) -> tuple[Sequence[str], list[Sequence[Any]]]:
    if chart == "returns-per-day":
        return ["day", "regular", "rts"], [[d.day.isoformat(), d.regular, d.rts] for d in data.per_day]
    if chart == "dispositions":
        return ["disposition", "units"], [[k, v] for k, v in data.dispositions.items()]
    if chart == "top-skus":
        return ["sku", "name", "last_30_days", "previous_30_days"], [
            [s.sku, s.name, s.last_30_days, s.previous_30_days] for s in data.top_skus
        ]
    if chart == "processing-times":
        return ["fulfillment_center", "completed", "median_hours", "p90_hours"], [
            [p.fulfillment_center, p.completed, f"{p.median_hours:.1f}", f"{p.p90_hours:.1f}"]
            for p in data.processing_times
        ]
    raise NotFound(f"no chart {chart}")
