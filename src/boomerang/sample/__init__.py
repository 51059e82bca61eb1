"""Sample data, not the product: the demo (`boomerang serve --demo`: tenants, catalog, warehouse and 90
days of history) and the benchmark data set (`boomerang bench seed`, bench/).

Only the CLI imports it, inside those two commands; no API, page or worker process loads it (a test
checks). It sits above the product layers and may use any of them, as a client would."""
