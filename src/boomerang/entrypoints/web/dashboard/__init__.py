"""The merchant dashboard: Overview, Returns, Products, Quarantine, Billing and Settings pages (UI.md)."""

from boomerang.entrypoints.web.dashboard import billing, overview, products, quarantine, returns, settings

ROUTERS = [overview.router, returns.router, products.router, quarantine.router, billing.router, settings.router]
