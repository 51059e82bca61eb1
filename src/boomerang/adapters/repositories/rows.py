"""Aggregates built straight from Core rows, for units of work that only read.

Loading through the ORM costs an identity map, change tracking and per-row loader machinery, which a
read-only unit of work never uses: it renders what it read and ends. Here the same columns, converted by
the same column types, are put into new instances of the mapped domain classes as the ORM would fill them
(every column under its own name, children in the order the mapper's relationships give), with no
session behind them. Lists of returns and the products, merchants and FCs they render read this way
(about half the CPU of an ORM load of a page of 50; see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Column, Row, Select, Table, bindparam, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from boomerang.adapters.tables import core
from boomerang.domain.products import Product, ReturnPreferences
from boomerang.domain.returns import ReturnLine, ReturnOrder, StatusChange, TrackingEvent
from boomerang.domain.tenants import FulfillmentCenter, Merchant

T = TypeVar("T")

rt = core.return_orders
# `search_text` is written with a return, never read back (the ORM maps it deferred).
ORDER_COLUMNS: list[Column[Any]] = [c for c in rt.c if c.key != "search_text"]
PREFERENCES = ("return_action", "rts_action", "backup_action", "inspection_steps", "preferences_configured")


def _unmapped_equal(self: Any, other: Any) -> bool:
    """A dataclass's __eq__ across a mapped class and its read-only twin (each is the other's equal)."""
    base = type(self).__mro__[1]
    if not isinstance(other, base):
        return NotImplemented
    return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(base) if f.compare)


_TWINS: dict[type[Any], type[Any]] = {}


def read_only_twin(cls: type[T]) -> type[T]:
    """A subclass of mapped dataclass `cls` whose mapped attributes are plain instance attributes.

    Each attribute the mapper instruments is a data descriptor on `cls`: reading it is a Python call, about
    a seventh of the CPU of rendering a page of 50 read as rows. The twin shadows each with a plain class
    attribute, so a read finds the value in the instance's dict at C speed; it is still a `cls` (isinstance,
    methods, properties) and equal to a `cls` with the same fields, but no session can take it."""
    twin = _TWINS.get(cls)
    if twin is None:
        shadows: dict[str, Any] = {attribute.key: None for attribute in sa_inspect(cls).attrs}
        namespace = {**shadows, "__eq__": _unmapped_equal, "__hash__": None, "__qualname__": cls.__qualname__}
        twin = _TWINS[cls] = type(cls.__name__, (cls,), namespace)
    return twin


def build(cls: type[T], values: dict[str, Any]) -> T:
    """A new instance of mapped `cls` (its read-only twin) holding `values`: no __init__, no ORM state, no
    session. Every column and relationship the caller reads must be in `values`. Read-only units of work."""
    instance: T = object.__new__(read_only_twin(cls))
    instance.__dict__.update(values)
    return instance


def _children(table: Table, order_by: Sequence[Column[Any]]) -> Select[Any]:
    """A table's rows of some returns, in the relationship's order (a cached statement: one expanding IN)."""
    return select(table).where(table.c.return_id.in_(bindparam("ids", expanding=True))).order_by(*order_by)


_LINES = _children(core.return_lines, [core.return_lines.c.position])
_HISTORY = _children(core.return_status_history, [core.return_status_history.c.id])
_TRACKING = _children(core.tracking_events, [core.tracking_events.c.occurred_at])


def _dicts(rows: Iterable[Row[Any]], keys: Sequence[str]) -> Iterable[dict[str, Any]]:
    """Each row as {column: value}, the keys read once (a row's own mapping builds its key view per row)."""
    return (dict(zip(keys, row, strict=True)) for row in rows)


def _grouped(session: Session, stmt: Select[Any], ids: list[str], cls: type[T]) -> dict[str, list[T]]:
    found: dict[str, list[T]] = {}
    result = session.execute(stmt, {"ids": ids})
    for values in _dicts(result, list(result.keys())):
        found.setdefault(values["return_id"], []).append(build(cls, values))
    return found


def returns_of_rows(session: Session, rows: Iterable[Row[Any]]) -> list[ReturnOrder]:
    """The returns of `rows` (of ORDER_COLUMNS) with their lines, status history and tracking events:
    three more queries for all of them."""
    orders = [build(ReturnOrder, values) for values in _dicts(rows, [c.key for c in ORDER_COLUMNS])]
    if not orders:
        return orders
    ids = [order.id for order in orders]
    lines = _grouped(session, _LINES, ids, ReturnLine)
    history = _grouped(session, _HISTORY, ids, StatusChange)
    tracking = _grouped(session, _TRACKING, ids, TrackingEvent)
    for order in orders:
        order.__dict__.update(
            lines=lines.get(order.id, []),
            status_history=history.get(order.id, []),
            tracking_events=tracking.get(order.id, []),
            events=[],
        )
    return orders


def _of_ids(table: Table) -> Select[Any]:
    return select(table).where(table.c.id.in_(bindparam("ids", expanding=True)))


_PRODUCTS = _of_ids(core.products)
_MERCHANTS = _of_ids(core.merchants)
_FULFILLMENT_CENTERS = _of_ids(core.fulfillment_centers)


def products_by_id(session: Session, ids: Sequence[str]) -> dict[str, Product]:
    """Products by id, their preferences composed as the mapper composes them."""
    found: dict[str, Product] = {}
    result = session.execute(_PRODUCTS, {"ids": list(ids)})
    for values in _dicts(result, list(result.keys())):
        values["preferences"] = ReturnPreferences(*(values[name] for name in PREFERENCES))
        found[values["id"]] = build(Product, values)
    return found


def merchants_by_id(session: Session, ids: Sequence[str]) -> dict[str, Merchant]:
    result = session.execute(_MERCHANTS, {"ids": list(ids)})
    return {values["id"]: build(Merchant, values) for values in _dicts(result, list(result.keys()))}


def fulfillment_centers_by_id(session: Session, ids: Sequence[str]) -> dict[str, FulfillmentCenter]:
    result = session.execute(_FULFILLMENT_CENTERS, {"ids": list(ids)})
    return {values["id"]: build(FulfillmentCenter, values) for values in _dicts(result, list(result.keys()))}
