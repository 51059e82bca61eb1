"""Formatting left over from when services rendered API JSON (warehouse views, photos, the relay).

Returns, work orders and the other resources are rendered by the API's schemas (`from_domain`)."""

from __future__ import annotations

from datetime import date, datetime

from boomerang.domain.money import Money


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def money(value: Money) -> dict[str, str]:
    return {"amount": value.formatted(), "currency_code": value.currency}
