"""Migration 0016 indexes the returns already stored, and its downgrade gives back 0012's search index."""

from __future__ import annotations

from typing import Any

from alembic import command
from sqlalchemy import Engine, text

from boomerang.adapters import migrate
from boomerang.adapters.db import make_session_factory
from boomerang.adapters.repositories.returns import ReturnFilters, ReturnRepository
from boomerang.domain.tenants import Principal, Role

BEFORE = "0015_daily_totals"


def _downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = migrate.alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _store(conn: Any, merchant_id: str, return_id: str, search_text: str) -> None:
    conn.execute(
        text(
            "INSERT INTO return_orders (id, merchant_id, fulfillment_center_id, reference_id, status, return_type,"
            " channel, insert_date, search_text, version) VALUES (:id, :merchant, 'fc_1', :ref, 'AwaitingArrival',"
            " 'Regular', 'API', '2026-01-01 00:00:00', :search_text, 1)"
        ),
        {"id": return_id, "merchant": merchant_id, "ref": f"RMA-{return_id}", "search_text": search_text},
    )


def _found(engine: Engine, merchant_id: str, needle: str) -> list[str]:
    principal = Principal(Role.Merchant, credential_id="t", name="t", merchant_id=merchant_id)
    with make_session_factory(engine)() as session:
        return [o.id for o in ReturnRepository(session, principal).list(ReturnFilters(q=needle), None, 50).items]


def _old_index_finds(engine: Engine, needle: str) -> list[str]:
    """0012's index, asked directly: the FTS5 table on SQLite, the trigram index on PostgreSQL."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            statement = (
                "SELECT r.id FROM return_orders_fts JOIN return_orders r ON r.rowid = return_orders_fts.rowid"
                " WHERE return_orders_fts MATCH :phrase ORDER BY r.id"
            )
            return list(conn.execute(text(statement), {"phrase": f'"{needle}"'}).scalars())
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        explain = text("EXPLAIN SELECT id FROM return_orders WHERE search_text LIKE :pattern")
        plan = "\n".join(conn.execute(explain, {"pattern": f"%{needle}%"}).scalars())
        assert "ix_return_orders_search_trgm" in plan, plan
        statement = "SELECT id FROM return_orders WHERE search_text LIKE :pattern ORDER BY id"
        return list(conn.execute(text(statement), {"pattern": f"%{needle}%"}).scalars())


def test_upgrade_indexes_stored_returns_and_downgrade_restores_the_old_index(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, BEFORE)
    with empty_engine.begin() as conn:
        for merchant_id in ("mch_1", "mch_2"):
            conn.execute(
                text("INSERT INTO merchants VALUES (:id, 'A', 'USD', '2026-01-01 00:00:00')"), {"id": merchant_id}
            )
        conn.execute(
            text("INSERT INTO fulfillment_centers (id, name, country, created_at) VALUES ('fc_1', 'Reno', 'US', :at)"),
            {"at": "2026-01-01 00:00:00"},
        )
        _store(conn, "mch_1", "ret_1", "rma-1\nqx-4471 blue")
        _store(conn, "mch_2", "ret_2", "rma-2\nqx-4471 red")
        _store(conn, "mch_1", "ret_3", "rma-3\nother")
    migrate.upgrade(empty_engine)
    assert _found(empty_engine, "mch_1", "qx-4471") == ["ret_1"]
    assert _found(empty_engine, "mch_2", "qx-4471") == ["ret_2"]

    _downgrade(empty_engine, BEFORE)
    with empty_engine.begin() as conn:
        _store(conn, "mch_1", "ret_4", "rma-4\nqx-4471 green")
    assert _old_index_finds(empty_engine, "qx-4471") == ["ret_1", "ret_2", "ret_4"]
    with empty_engine.connect() as conn:
        names = (
            "SELECT name FROM sqlite_master" if empty_engine.dialect.name == "sqlite" else "SELECT proname FROM pg_proc"
        )
        assert not [
            n for n in conn.execute(text(names)).scalars() if n.startswith(("return_search", "boomerang_search"))
        ]

    migrate.upgrade(empty_engine)
    assert _found(empty_engine, "mch_1", "qx-4471") == ["ret_4", "ret_1"]
