"""Integer numbers of resources, assigned on first use and never changed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from boomerang.adapters.tables.numbers import compat_numbers as nt
from boomerang.domain.numbers import NumberKind


class NumberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def numbers(self, kind: NumberKind, owner_id: str, resource_ids: Iterable[str]) -> dict[str, int]:
        """The numbers of `resource_ids`, numbering those that have none yet (in id order)."""
        wanted = sorted(set(resource_ids))
        if not wanted:
            return {}
        found = self._existing(kind, owner_id, wanted)
        missing = [r for r in wanted if r not in found]
        if missing:
            rows = [{"kind": kind.value, "owner_id": owner_id, "resource_id": r} for r in missing]
            # A concurrent transaction numbering the same resource makes this wait, then do nothing.
            self.session.execute(self._insert().values(rows).on_conflict_do_nothing())
            found.update(self._existing(kind, owner_id, missing))
        return found

    def resource_ids(self, kind: NumberKind, owner_id: str | None, numbers: Iterable[int]) -> dict[int, str]:
        """Our ids of the numbered resources (unknown numbers are left out); owner None = any owner."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        stmt = select(nt.c.number, nt.c.resource_id).where(nt.c.kind == kind.value, nt.c.number.in_(wanted))
        if owner_id is not None:
            stmt = stmt.where(nt.c.owner_id == owner_id)
        return {row.number: row.resource_id for row in self.session.execute(stmt)}

    def _existing(self, kind: NumberKind, owner_id: str, resource_ids: list[str]) -> dict[str, int]:
        stmt = select(nt.c.resource_id, nt.c.number).where(
            nt.c.kind == kind.value, nt.c.owner_id == owner_id, nt.c.resource_id.in_(resource_ids)
        )
        return {row.resource_id: row.number for row in self.session.execute(stmt)}

    def _insert(self):  # type: ignore[no-untyped-def]
        dialect = self.session.get_bind().dialect.name
        return postgresql.insert(nt) if dialect == "postgresql" else sqlite.insert(nt)
