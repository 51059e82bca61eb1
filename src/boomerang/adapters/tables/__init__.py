"""All tables share one MetaData; each feature keeps its tables in its own module."""

from boomerang.adapters.tables import core, ledger  # noqa: F401  (register tables)
from boomerang.adapters.tables import warehouse  # noqa: F401  (register tables)
from boomerang.adapters.tables import webhooks  # noqa: F401  (register tables)
from boomerang.adapters.tables import work_orders  # noqa: F401  (register tables)
from boomerang.adapters.tables.base import metadata

__all__ = ["metadata"]
