"""Column types shared by every table: UTC timestamps, cents, and JSON-encoded value objects."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect
from sqlalchemy.types import TypeDecorator

from boomerang.domain.returns import (
    ActionReason,
    ActionTaken,
    Inspection,
    Label,
    TakenAction,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored naive in UTC (SQLite has no time zones); always read back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Cents(TypeDecorator[Decimal]):
    """A Decimal amount with two minor digits, stored as an integer number of cents."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else int(Decimal(value).scaleb(2).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(int(value)).scaleb(-2)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _dataclass_to_json(obj: Any) -> dict[str, Any]:
    return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def _parse_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


class InspectionJSON(TypeDecorator[Inspection]):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Inspection | None, dialect: Dialect) -> Any:
        return None if value is None else _dataclass_to_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Inspection | None:
        if value is None:
            return None
        return Inspection(
            quantity_received=value["quantity_received"],
            step_results=tuple(value.get("step_results", ())),
            instructions_unclear=value.get("instructions_unclear", False),
            lot_number=value.get("lot_number"),
            expiration_date=_parse_date(value.get("expiration_date")),
            photo_ids=tuple(value.get("photo_ids", ())),
            condition_note=value.get("condition_note"),
        )


class ActionsTakenJSON(TypeDecorator[list[ActionTaken]]):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[ActionTaken] | None, dialect: Dialect) -> Any:
        return [_dataclass_to_json(a) for a in value or []]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[ActionTaken]:
        return [
            ActionTaken(
                action=TakenAction(a["action"]),
                action_reason=ActionReason(a["action_reason"]),
                quantity_processed=a["quantity_processed"],
                lot_number=a.get("lot_number"),
                expiration_date=_parse_date(a.get("expiration_date")),
                photo_ids=tuple(a.get("photo_ids", ())),
            )
            for a in value or []
        ]


class LabelJSON(TypeDecorator[Label]):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Label | None, dialect: Dialect) -> Any:
        return None if value is None else _dataclass_to_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Label | None:
        return None if value is None else Label(**value)


class StringList(TypeDecorator[list[str]]):
    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[str] | tuple[str, ...] | None, dialect: Dialect) -> Any:
        return list(value or [])

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str]:
        return list(value or [])
