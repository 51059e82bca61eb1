"""What the tests share: builders of valid objects (`builders`), the concurrency harness (`concurrency`),
waiting on a condition instead of sleeping (`waiting`), the one launcher of a live `boomerang serve`
process (`live_server`), and the per-test isolation of the PostgreSQL test database (`postgres`)."""
