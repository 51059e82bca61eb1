"""The bulk preference use case streams its rows: it pulls one chunk, reads its products with one query,
writes it with one executemany UPDATE, and only then pulls the next; all in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables import core
from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.errors import ValidationFailed
from boomerang.domain.products import Action
from boomerang.domain.tenants import Principal, Role
from boomerang.services import admin, products
from boomerang.services.auth import SYSTEM
from boomerang.services.products import PreferenceRow, ProductFields
from tests.support.builders import FrozenClock


@pytest.fixture
def chunk_of_4(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(products, "BULK_CHUNK", 4)
    return 4


def merchant_with(session_factory: sessionmaker[Session], settings: Settings, skus: list[str]) -> Principal:
    factory = make_uow_factory(session_factory, settings)
    with factory(SYSTEM) as uow:
        merchant_id = admin.create_merchant(uow, name="Chunks").merchant.id
    principal = Principal(Role.Merchant, credential_id="test", name="test", merchant_id=merchant_id)
    with factory(principal) as uow:
        for sku in skus:
            products.create_product(uow, details=ProductFields(sku=sku, name=sku), preferences=None)
    return principal


class Statements:
    """The statements sent on products, in order: ("SELECT" | "UPDATE", executemany, parameter sets)."""

    def __init__(self, engine: Engine) -> None:
        self.seen: list[tuple[str, bool, int]] = []
        self.engine = engine

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *_: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if "products" in statement and verb in ("SELECT", "UPDATE"):
            self.seen.append((verb, executemany, len(parameters) if executemany else 1))


def test_each_chunk_is_one_select_and_one_executemany_update(
    engine: Engine, session_factory: sessionmaker[Session], settings: Settings, chunk_of_4: int
) -> None:
    skus = [f"ST-{i:02d}" for i in range(10)]
    principal = merchant_with(session_factory, settings, skus)
    with Statements(engine) as statements, make_uow_factory(session_factory, settings)(principal) as uow:
        result = products.bulk_update_preferences(uow, rows=[PreferenceRow(sku, "Dispose") for sku in skus])
    assert result.updated == 10
    assert statements.seen == [
        ("SELECT", False, 1),
        ("UPDATE", True, 4),
        ("SELECT", False, 1),
        ("UPDATE", True, 4),
        ("SELECT", False, 1),
        ("UPDATE", True, 2),
    ]


def test_rows_are_pulled_one_chunk_at_a_time(
    session_factory: sessionmaker[Session], settings: Settings, chunk_of_4: int
) -> None:
    skus = [f"PU-{i:02d}" for i in range(9)]
    principal = merchant_with(session_factory, settings, skus)
    pulled = 0

    def rows() -> Iterator[PreferenceRow]:
        nonlocal pulled
        for sku in skus:
            pulled += 1
            yield PreferenceRow(sku, "Quarantine")

    pulled_at_progress: list[tuple[int, int]] = []
    with make_uow_factory(session_factory, settings)(principal) as uow:
        products.bulk_update_preferences(uow, rows=rows(), progress=lambda n: pulled_at_progress.append((n, pulled)))
    # When the first chunk has been written, only its rows have been read from the stream.
    assert pulled_at_progress == [(4, 4), (8, 8), (9, 9)]


def test_a_bad_row_after_written_chunks_rolls_them_back_and_still_checks_the_rest(
    engine: Engine, session_factory: sessionmaker[Session], settings: Settings, chunk_of_4: int
) -> None:
    skus = [f"RB-{i:02d}" for i in range(12)]
    principal = merchant_with(session_factory, settings, skus)
    rows = [PreferenceRow(sku, "Dispose") for sku in skus]
    rows[5] = PreferenceRow("RB-05", "Sometimes")
    rows[10] = PreferenceRow("GONE")
    with (
        Statements(engine) as statements,
        pytest.raises(ValidationFailed) as refused,
        make_uow_factory(session_factory, settings)(principal) as uow,
    ):
        products.bulk_update_preferences(uow, rows=rows, label="rows")
    assert [d.field for d in refused.value.details] == ["rows[5].return_action", "rows[10].sku"]
    # The first chunk was written; after the bad row the others were only read.
    assert [verb for verb, _, _ in statements.seen] == ["SELECT", "UPDATE", "SELECT", "SELECT"]
    with engine.connect() as conn:
        t = core.products
        states = conn.execute(
            select(t.c.return_action, t.c.preferences_configured).where(t.c.merchant_id == principal.merchant_id)
        ).all()
    assert set(states) == {(Action.Restock, False)}


def test_updated_at_is_the_use_cases_time_and_other_merchants_are_never_touched(
    engine: Engine, session_factory: sessionmaker[Session], settings: Settings, chunk_of_4: int
) -> None:
    mine = merchant_with(session_factory, settings, ["SAME-1", "SAME-2"])
    theirs = merchant_with(session_factory, settings, ["SAME-1", "SAME-2"])
    clock = FrozenClock()
    with make_uow_factory(session_factory, settings, clock)(mine) as uow:
        now = uow.now
        products.bulk_update_preferences(uow, rows=[PreferenceRow("SAME-1"), PreferenceRow("SAME-2", "Dispose")])
    t = core.products
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                t.c.merchant_id,
                t.c.sku,
                t.c.return_action,
                t.c.preferences_configured,
                t.c.created_at,
                t.c.updated_at,
            )
        ).all()
    mine_rows = {r.sku: r for r in rows if r.merchant_id == mine.merchant_id}
    theirs_rows = [r for r in rows if r.merchant_id == theirs.merchant_id]
    assert {r.updated_at for r in mine_rows.values()} == {now}
    assert (mine_rows["SAME-1"].return_action, mine_rows["SAME-1"].preferences_configured) == (Action.Restock, True)
    assert mine_rows["SAME-2"].return_action == Action.Dispose
    assert {(r.return_action, r.preferences_configured) for r in theirs_rows} == {(Action.Restock, False)}
    assert all(r.updated_at == r.created_at for r in theirs_rows)
