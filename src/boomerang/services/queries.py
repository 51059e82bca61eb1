"""Query specifications, re-exported for the entry points: they live in `boomerang.domain.queries`."""

from boomerang.domain.queries import (
    CompatReturnFilters,
    LedgerFilters,
    NumberedPage,
    Page,
    ProductFilters,
    ReturnFilters,
    StockFilters,
    TransactionFilters,
    WorkOrderFilters,
)

__all__ = [
    "CompatReturnFilters",
    "LedgerFilters",
    "NumberedPage",
    "Page",
    "ProductFilters",
    "ReturnFilters",
    "StockFilters",
    "TransactionFilters",
    "WorkOrderFilters",
]
