"""All tables share one MetaData; each feature keeps its tables in its own module."""

from boomerang.adapters.tables import (  # noqa: F401  (register tables)
    analytics,
    core,
    ledger,
    numbers,
    warehouse,
    web,
    webhooks,
    work_orders,
)
from boomerang.adapters.tables.base import metadata

__all__ = ["metadata"]
