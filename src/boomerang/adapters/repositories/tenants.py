"""Merchants, fulfillment centers, operators, credentials and dashboard users."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from boomerang.adapters.repositories.base import Page, already_loaded, decode_cursor, encode_cursor
from boomerang.adapters.repositories.rows import fulfillment_centers_by_id, merchants_by_id
from boomerang.adapters.tables import core
from boomerang.domain.error_codes import AuthErrorCode, CommonErrorCode, WarehouseErrorCode
from boomerang.domain.errors import FieldError, NotFound, ValidationFailed
from boomerang.domain.tenants import FulfillmentCenter, Merchant, Operator

Reader = Callable[[Session, list[str]], Mapping[str, Merchant | FulfillmentCenter]]


class TenantRepository:
    def __init__(self, session: Session, *, rows: bool = False) -> None:
        self.session = session
        # Merchants and FCs read in this unit of work, kept referenced so the session's (weak) identity
        # map still holds them: a use case that checks an FC and then renders it reads it once.
        self._held: dict[str, Merchant | FulfillmentCenter] = {}
        # A read-only unit of work reads merchants and FCs as rows (repositories/rows.py), held here.
        self.rows = rows

    def add(self, obj: Merchant | FulfillmentCenter | Operator) -> None:
        self.session.add(obj)

    def merchant(self, merchant_id: str) -> Merchant:
        merchant = self._as_row(merchant_id, merchants_by_id) if self.rows else self.session.get(Merchant, merchant_id)
        if not isinstance(merchant, Merchant):
            raise NotFound(f"merchant {merchant_id} not found", code=AuthErrorCode.MERCHANT_NOT_FOUND)
        self._held[merchant.id] = merchant
        return merchant

    def merchants_by_return_count(self, cursor: str | None, limit: int) -> Page[Any]:
        """Merchants with their return counts, largest first (cursor = offset, bounded list)."""
        counts = (
            select(core.return_orders.c.merchant_id, func.count().label("n"))
            .group_by(core.return_orders.c.merchant_id)
            .subquery()
        )
        stmt = (
            select(core.merchants.c.id, core.merchants.c.name, func.coalesce(counts.c.n, 0).label("return_count"))
            .outerjoin(counts, counts.c.merchant_id == core.merchants.c.id)
            .order_by(func.coalesce(counts.c.n, 0).desc(), core.merchants.c.id)
        )
        offset = _decode_offset(cursor) if cursor else 0
        rows = self.session.execute(stmt.offset(offset).limit(limit + 1)).all()
        next_cursor = encode_cursor(offset + limit) if len(rows) > limit else None
        return Page([r._asdict() for r in rows[:limit]], next_cursor)

    def fulfillment_center(self, fc_id: str) -> FulfillmentCenter:
        fc = self._as_row(fc_id, fulfillment_centers_by_id) if self.rows else self.session.get(FulfillmentCenter, fc_id)
        if not isinstance(fc, FulfillmentCenter):
            raise NotFound(
                f"fulfillment center {fc_id} not found", code=WarehouseErrorCode.FULFILLMENT_CENTER_NOT_FOUND
            )
        self._held[fc.id] = fc
        return fc

    def fulfillment_centers(self, ids: list[str] | None = None) -> list[FulfillmentCenter]:
        """Every FC, or those of `ids` (the ones this unit of work already read are not read again), by id."""
        stmt = select(FulfillmentCenter).order_by(core.fulfillment_centers.c.id)
        if ids is None:
            return list(self.session.execute(stmt).scalars())
        if self.rows:
            found = {i: held for i in ids if isinstance(held := self._held.get(i), FulfillmentCenter)}
            missing = [i for i in dict.fromkeys(ids) if i not in found]
            found.update(fulfillment_centers_by_id(self.session, missing) if missing else {})
            self._held.update(found)
            return [found[fc_id] for fc_id in sorted(found)]
        found, missing = already_loaded(self.session, FulfillmentCenter, ids)
        if missing:
            stmt = stmt.where(core.fulfillment_centers.c.id.in_(missing))
            found.update({fc.id: fc for fc in self.session.execute(stmt).scalars()})
        self._held.update(found)
        return [found[fc_id] for fc_id in sorted(found)]

    def _as_row(self, id_: str, read: Reader) -> Merchant | FulfillmentCenter | None:
        """A merchant or FC held by this unit of work, else read as a row (read-only units of work)."""
        if id_ not in self._held:
            self._held.update(read(self.session, [id_]))
        return self._held.get(id_)

    def preload(self, fc_id: str, merchant_id: str) -> None:
        """Read the FC and the merchant a return is rendered with in ONE query, when this unit of work
        holds neither yet (`fulfillment_center` and `merchant` then find them without SQL)."""
        held = self.session.identity_map
        if held.get(identity_key(FulfillmentCenter, fc_id)) or held.get(identity_key(Merchant, merchant_id)):
            return
        for merchant, fc in self.session.execute(_fc_and_merchant(), {"fc_id": fc_id, "merchant_id": merchant_id}):
            self._held[merchant.id] = merchant
            if fc is not None:
                self._held[fc.id] = fc

    def operator(self, operator_id: str) -> Operator:
        operator = self.session.get(Operator, operator_id)
        if operator is None:
            raise NotFound(f"operator {operator_id} not found", code=AuthErrorCode.OPERATOR_NOT_FOUND)
        return operator

    def add_credential(self, **values: Any) -> None:
        self.session.execute(insert(core.credentials).values(**values))

    def credential_by_hash(self, token_hash: str) -> Any:
        """The live credential of `token_hash`, with its operator's FCs (`operator_fc_ids`, None for a
        credential without an operator or whose operator is gone): one query per request."""
        return self.session.execute(_CREDENTIAL, {"token_hash": token_hash}).first()

    def merchant_credentials(self, merchant_id: str) -> list[Any]:
        """A merchant's API keys, newest first (hashes only; the secrets were shown once)."""
        c = core.credentials
        stmt = select(c.c.id, c.c.name, c.c.created_at, c.c.revoked_at).where(
            c.c.merchant_id == merchant_id, c.c.role == "Merchant"
        )
        return list(self.session.execute(stmt.order_by(c.c.created_at.desc(), c.c.id.desc())))

    def revoke_credential(self, merchant_id: str, credential_id: str, now: Any) -> bool:
        c = core.credentials
        result = self.session.execute(
            update(c)
            .where(c.c.id == credential_id, c.c.merchant_id == merchant_id, c.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def add_user(self, **values: Any) -> None:
        self.session.execute(insert(core.users).values(**values))

    def user_by_email(self, email: str) -> Any:
        return self.session.execute(select(core.users).where(core.users.c.email == email.lower())).first()

    def email_taken(self, email: str) -> bool:
        return self.user_by_email(email) is not None

    def count_merchants(self) -> int:
        return int(self.session.execute(select(func.count()).select_from(core.merchants)).scalar_one())


# Statements of every request, built once: their cache keys are memoized, so SQLAlchemy neither rebuilds
# them nor recomputes the key that finds their compiled form.
_c, _o, _fcs = core.credentials, core.operators, core.fulfillment_centers
_CREDENTIAL = (
    select(_c, _o.c.fulfillment_center_ids.label("operator_fc_ids"))
    .outerjoin(_o, _o.c.id == _c.c.operator_id)
    .where(_c.c.token_hash == bindparam("token_hash"), _c.c.revoked_at.is_(None))
)


@cache
def _fc_and_merchant() -> Select[Merchant, FulfillmentCenter]:
    """Built on first use: the entities are mapped at bootstrap, after this module is imported."""
    return (
        select(Merchant, FulfillmentCenter)
        .select_from(core.merchants)
        .outerjoin(_fcs, _fcs.c.id == bindparam("fc_id"))
        .where(core.merchants.c.id == bindparam("merchant_id"))
    )


def _decode_offset(cursor: str) -> int:
    (raw,) = decode_cursor(cursor)
    if not (raw.isdigit() and len(raw) <= 9):
        raise ValidationFailed(
            "cursor is not one this API returned",
            code=CommonErrorCode.INVALID_CURSOR,
            details=[FieldError("cursor", "invalid cursor")],
        )
    return int(raw)
