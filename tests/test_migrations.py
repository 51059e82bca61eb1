"""Alembic from an empty database gives exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from boomerang.adapters import migrate
from boomerang.adapters.tables import metadata
from boomerang.adapters.tables.search import include_name


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False, "include_name": include_name}
        )
        return list(compare_metadata(context, metadata))


def test_migrations_from_empty_match_the_models(empty_engine: Engine) -> None:
    assert inspect(empty_engine).get_table_names() == []
    migrate.upgrade(empty_engine)
    assert schema_differences(empty_engine) == []
    tables = set(inspect(empty_engine).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables


def test_upgrading_twice_changes_nothing(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.upgrade(empty_engine)
    assert schema_differences(empty_engine) == []


def test_the_database_ends_at_every_head(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    heads = set(ScriptDirectory.from_config(migrate.alembic_config(empty_engine)).get_heads())
    with empty_engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    assert current == heads


MERCHANT_OWNED = {
    "products",
    "return_orders",
    "return_lines",
    "return_status_history",
    "outbox_events",
    "ledger_entries",
    "transactions",
    "fee_schedules",
}


def test_every_merchant_owned_table_carries_merchant_id() -> None:
    tables = {t.name: t for t in metadata.sorted_tables}
    assert [name for name in sorted(MERCHANT_OWNED) if "merchant_id" not in tables[name].c] == []


def test_upgrading_encrypts_secrets_written_in_clear_before(empty_engine: Engine) -> None:
    from sqlalchemy import String, select, type_coerce

    from boomerang.adapters.secret_box import PREFIX, current_box
    from boomerang.adapters.tables.webhooks import webhook_subscriptions

    migrate.upgrade(empty_engine, "0006_merge")
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO merchants (id, name, currency_code, created_at) VALUES ('mch_1', 'A', 'USD', :at)"),
            {"at": "2026-01-01 00:00:00"},
        )
        conn.execute(
            text(
                "INSERT INTO webhook_subscriptions (id, merchant_id, url, topics, secret, created_at)"
                " VALUES ('whk_1', 'mch_1', 'https://example.com/h', '[\"return.created\"]', 'whsec_plain', :at)"
            ),
            {"at": "2026-01-01 00:00:00"},
        )
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        raw = conn.execute(select(type_coerce(webhook_subscriptions.c.secret, String))).scalar_one()
        readable = conn.execute(select(webhook_subscriptions.c.secret)).scalar_one()
    assert raw.startswith(PREFIX) and "whsec_plain" not in raw
    assert readable == "whsec_plain" == current_box().decrypt(raw)


def _legacy_return(conn: Any, return_id: str, status: str, tracking_number: str) -> None:
    conn.execute(
        text(
            "INSERT INTO return_orders (id, merchant_id, fulfillment_center_id, reference_id, status, return_type, "
            "channel, tracking_number, insert_date, search_text, version) VALUES (:id, 'mch_1', 'fc_1', :ref, "
            ":status, 'Regular', 'API', :tracking, '2026-01-01 00:00:00', '', 1)"
        ),
        {"id": return_id, "ref": f"RMA-{return_id}", "status": status, "tracking": tracking_number},
    )


def test_0011_stops_on_duplicate_live_tracking_numbers_and_names_them(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, "0010_secrets_at_rest")
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO merchants VALUES ('mch_1', 'Acme', 'USD', '2026-01-01 00:00:00')"))
        conn.execute(
            text(
                "INSERT INTO fulfillment_centers (id, name, country, created_at) "
                "VALUES ('fc_1', 'Reno', 'US', '2026-01-01 00:00:00')"
            )
        )
        _legacy_return(conn, "ret_1", "Completed", "1ZTWICE")
        _legacy_return(conn, "ret_2", "AwaitingArrival", "1ZTWICE")
        _legacy_return(conn, "ret_3", "Cancelled", "1ZONCE")
        _legacy_return(conn, "ret_4", "AwaitingArrival", "1ZONCE")
    with pytest.raises(RuntimeError, match="mch_1: 1ZTWICE \\(2 returns\\)"):
        migrate.upgrade(empty_engine)
    with empty_engine.begin() as conn:  # the merchant keeps one return per number (cancelled ones do not count)
        conn.execute(text("UPDATE return_orders SET status = 'Cancelled' WHERE id = 'ret_2'"))
    migrate.upgrade(empty_engine)
    assert schema_differences(empty_engine) == []


def test_upgrading_encrypts_idempotent_responses_stored_in_clear_before(empty_engine: Engine) -> None:
    from sqlalchemy import String, select, type_coerce

    from boomerang.adapters.secret_box import PREFIX
    from boomerang.adapters.tables.core import idempotency_keys

    migrate.upgrade(empty_engine, "0017_product_picker_search")
    body = '{"id": "mch_1", "name": "A", "api_key": "bkm_plain_key"}'
    with empty_engine.begin() as conn:
        for number in range(3):
            conn.execute(
                text(
                    "INSERT INTO idempotency_keys (credential_id, key, request_hash, state, response_status,"
                    " response_body, created_at) VALUES ('env-admin', :key, 'h', 'Done', 201, :body, :at)"
                ),
                {"key": f"k{number}", "body": body, "at": "2026-01-01 00:00:00"},
            )
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        raw = conn.execute(select(type_coerce(idempotency_keys.c.response_body, String))).scalars().all()
        readable = conn.execute(select(idempotency_keys.c.response_body)).scalars().all()
    assert len(raw) == 3 and all(value.startswith(PREFIX) and "bkm_plain_key" not in value for value in raw)
    assert readable == [body] * 3
