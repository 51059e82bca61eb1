"""ShipBob-compatible Returns API (contract: shared/contracts/shipbob-returns-2026-01.openapi.json)."""
