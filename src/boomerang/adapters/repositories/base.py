"""What every repository shares: tenant scoping and keyset pagination."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, false
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from boomerang.domain.error_codes import CommonErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed
from boomerang.domain.events import DomainEvent
from boomerang.domain.queries import Page
from boomerang.domain.tenants import Principal, Role

__all__ = [
    "Aggregate",
    "AggregateRepository",
    "Page",
    "already_loaded",
    "apply_scope",
    "built_once",
    "decode_cursor",
    "encode_cursor",
    "keyset_page",
    "scope_filter",
    "scope_key",
]

T = TypeVar("T")


def encode_cursor(*values: Any) -> str:
    raw = "\x1f".join(str(v) for v in values)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parts: int = 1) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = base64.urlsafe_b64decode(padded.encode()).decode().split("\x1f")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        values = []
    # Printable only: a NUL from a forged cursor would reach PostgreSQL and fail there.
    if len(values) != parts or not all(v and v.isprintable() for v in values):
        raise ValidationFailed(
            "cursor is not one this API returned",
            code=CommonErrorCode.INVALID_CURSOR,
            details=[FieldError("cursor", "invalid cursor")],
        )
    return values


def scope_filter(
    principal: Principal,
    merchant_column: ColumnElement[Any] | None,
    fc_column: ColumnElement[Any] | None,
) -> ColumnElement[bool] | None:
    """Rows a principal may see: its merchant's, or those at its FCs. None means everything."""
    if principal.role is Role.Merchant and merchant_column is not None:
        return merchant_column == principal.merchant_id
    if principal.role is Role.Operator and fc_column is not None:
        return fc_column.in_(sorted(principal.fulfillment_center_ids))
    if principal.role is Role.Admin:
        return None
    return false()


def apply_scope(
    stmt: Select[Any],
    principal: Principal,
    merchant_column: ColumnElement[Any] | None,
    fc_column: ColumnElement[Any] | None = None,
) -> Select[Any]:
    condition = scope_filter(principal, merchant_column, fc_column)
    return stmt if condition is None else stmt.where(condition)


def keyset_page(
    session: Session,
    stmt: Select[Any],
    id_column: ColumnElement[Any],
    cursor: str | None,
    limit: int,
    *,
    newest_first: bool = True,
    scalars: bool = True,
) -> Page[Any]:
    """One page ordered by a sortable id; deep pages cost what page 1 costs."""
    if cursor:
        (after,) = decode_cursor(cursor)
        stmt = stmt.where(id_column < after if newest_first else id_column > after)
    stmt = stmt.order_by(id_column.desc() if newest_first else id_column.asc()).limit(limit + 1)
    result = session.execute(stmt)
    rows: Sequence[Any] = result.scalars().all() if scalars else result.all()
    items = list(rows[:limit])
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor(last.id)
    return Page(items, next_cursor)


def already_loaded(session: Session, entity: type[T], ids: Sequence[str]) -> tuple[dict[str, T], list[str]]:
    """The objects of `ids` this session already holds (no SQL), and the ids still to load.

    A use case that loaded a product or an FC to check it, then renders the result, reads it once."""
    found: dict[str, T] = {}
    missing: list[str] = []
    for ident in dict.fromkeys(ids):
        obj = session.identity_map.get(identity_key(entity, ident))
        if obj is None:
            missing.append(ident)
        else:
            found[ident] = obj
    return found, missing


_BUILT: dict[tuple[Any, ...], Any] = {}


def built_once(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """The statement of `key`, built on first use: its cache key is then memoized, so SQLAlchemy neither
    rebuilds it nor computes the key of its compiled form again. `key` names everything the statement
    depends on (the caller's scope included); its values come as bound parameters. At most 1,024 kept."""
    found = _BUILT.get(key)
    if found is None:
        if len(_BUILT) >= 1024:
            _BUILT.clear()
        found = _BUILT[key] = build()
    return found  # type: ignore[no-any-return]


def scope_key(principal: Principal) -> tuple[Any, ...]:
    """What `apply_scope` builds into a statement for `principal`."""
    return (principal.role, principal.merchant_id, principal.fulfillment_center_ids)


class Aggregate(Protocol):
    """What the unit of work needs of an aggregate to publish its events."""

    id: str
    merchant_id: str
    version: int | None
    events: list[DomainEvent]


A = TypeVar("A", bound=Aggregate)


class AggregateRepository(Generic[A]):
    """A repository of one kind of aggregate. It remembers every aggregate it loaded or added in this unit
    of work (`seen`), so the unit of work publishes the events any of them raised, whichever use case
    changed it; `resource_type` names the outbox rendering of its events."""

    resource_type: ClassVar[str]

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.seen: dict[str, A] = {}

    def _track(self, aggregate: A) -> A:
        self.seen[aggregate.id] = aggregate
        return aggregate
