"""foundation: tenants, products, returns, ledger, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-27 16:43:43.145256
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fulfillment_centers",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address_line1", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfillment_centers")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("credential_id", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("response_headers", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("credential_id", "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_keys_created_at"), ["created_at"], unique=False)

    op.create_table(
        "merchants",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchants")),
    )
    op.create_table(
        "operators",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("fulfillment_center_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_events_dispatched_at"), ["dispatched_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_events_merchant_id"), ["merchant_id"], unique=False)

    op.create_table(
        "credentials",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=True),
        sa.Column("operator_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_credentials_merchant_id_merchants")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], name=op.f("fk_credentials_operator_id_operators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_credentials_token_hash")),
    )
    op.create_table(
        "fee_schedules",
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("return_processing_fee", sa.BigInteger(), nullable=False),
        sa.Column("quarantine_storage_fee_per_unit_day", sa.BigInteger(), nullable=False),
        sa.Column("disposal_fee_per_unit", sa.BigInteger(), nullable=False),
        sa.Column("removal_fee_per_unit", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_fee_schedules_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("merchant_id", name=op.f("pk_fee_schedules")),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("barcodes", sa.JSON(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "General",
                "HazardousMaterials",
                "Food",
                "IntimateGoods",
                "MedicalSupplies",
                "FluidCollection",
                "Medicine",
                name="category",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("is_lot_tracked", sa.Boolean(), nullable=False),
        sa.Column("minimum_shelf_life_days", sa.Integer(), nullable=False),
        sa.Column("is_kitted", sa.Boolean(), nullable=False),
        sa.Column("is_sioc", sa.Boolean(), nullable=False),
        sa.Column("is_dangerous_goods", sa.Boolean(), nullable=False),
        sa.Column(
            "return_action",
            sa.Enum("Restock", "Quarantine", "Dispose", name="action", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "rts_action",
            sa.Enum("Restock", "Quarantine", "Dispose", name="action", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "backup_action",
            sa.Enum("Quarantine", "Dispose", name="backupaction", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("inspection_steps", sa.JSON(), nullable=False),
        sa.Column("preferences_configured", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_products_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("merchant_id", "sku", name="uq_products_merchant_sku"),
    )
    op.create_table(
        "return_orders",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("fulfillment_center_id", sa.String(length=40), nullable=False),
        sa.Column("reference_id", sa.String(length=50), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "AwaitingArrival",
                "Arrived",
                "Processing",
                "Completed",
                "Cancelled",
                name="returnstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "return_type",
            sa.Enum("Regular", "ReturnToSender", name="returntype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum(
                "Dashboard",
                "API",
                "AfterShip",
                "Loop",
                "Warehouse",
                "Carrier",
                name="channel",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("original_shipment_id", sa.String(length=40), nullable=True),
        sa.Column("store_order_id", sa.String(length=100), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("label", sa.JSON(), nullable=True),
        sa.Column("label_tracking_number", sa.String(length=100), nullable=True),
        sa.Column("insert_date", sa.DateTime(), nullable=False),
        sa.Column("awaiting_arrival_date", sa.DateTime(), nullable=True),
        sa.Column("arrived_date", sa.DateTime(), nullable=True),
        sa.Column("processing_date", sa.DateTime(), nullable=True),
        sa.Column("completed_date", sa.DateTime(), nullable=True),
        sa.Column("cancelled_date", sa.DateTime(), nullable=True),
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fulfillment_center_id"],
            ["fulfillment_centers.id"],
            name=op.f("fk_return_orders_fulfillment_center_id_fulfillment_centers"),
        ),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_return_orders_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_orders")),
    )
    with op.batch_alter_table("return_orders", schema=None) as batch_op:
        batch_op.create_index("ix_return_orders_fc_id", ["fulfillment_center_id", "id"], unique=False)
        batch_op.create_index("ix_return_orders_label_tracking_number", ["label_tracking_number"], unique=False)
        batch_op.create_index("ix_return_orders_merchant_id_id", ["merchant_id", "id"], unique=False)
        batch_op.create_index("ix_return_orders_original_shipment_id", ["original_shipment_id"], unique=False)
        batch_op.create_index("ix_return_orders_reference_id", ["reference_id"], unique=False)
        batch_op.create_index("ix_return_orders_tracking_number", ["tracking_number"], unique=False)
        batch_op.create_index(
            "uq_return_orders_live_reference",
            ["merchant_id", "reference_id"],
            unique=True,
            sqlite_where=sa.text("status != 'Cancelled'"),
            postgresql_where=sa.text("status != 'Cancelled'"),
        )

    op.create_table(
        "transactions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column(
            "transaction_type",
            sa.Enum(
                "ReturnProcessingFee",
                "ReturnToSenderFee",
                "ReturnLabelInvoice",
                "QuarantineStorageFee",
                "DisposalFee",
                "RemovalFee",
                name="transactiontype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("return_id", sa.String(length=40), nullable=True),
        sa.Column("work_order_id", sa.String(length=40), nullable=True),
        sa.Column("dedup_key", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_transactions_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transactions")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_transactions_dedup_key")),
    )
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.create_index("ix_transactions_merchant_created", ["merchant_id", "created_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transactions_return_id"), ["return_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transactions_work_order_id"), ["work_order_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=True),
        sa.Column("fulfillment_center_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_users_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("fulfillment_center_id", sa.String(length=40), nullable=False),
        sa.Column("lot_number", sa.String(length=100), nullable=True),
        sa.Column("expiration_date", sa.Date(), nullable=True),
        sa.Column(
            "bucket",
            sa.Enum(
                "Sellable",
                "Quarantine",
                "Disposed",
                "Shipped",
                name="bucket",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("originator", sa.String(length=200), nullable=False),
        sa.Column("return_id", sa.String(length=40), nullable=True),
        sa.Column("work_order_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fulfillment_center_id"],
            ["fulfillment_centers.id"],
            name=op.f("fk_ledger_entries_fulfillment_center_id_fulfillment_centers"),
        ),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["merchants.id"], name=op.f("fk_ledger_entries_merchant_id_merchants")
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_ledger_entries_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entries_return_id"), ["return_id"], unique=False)
        batch_op.create_index(
            "ix_ledger_entries_stock",
            ["merchant_id", "product_id", "fulfillment_center_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_ledger_entries_work_order_id"), ["work_order_id"], unique=False)

    op.create_table(
        "return_lines",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("return_id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column(
            "requested_action",
            sa.Enum(
                "Default",
                "Restock",
                "Quarantine",
                "Dispose",
                name="requestedaction",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("inspection", sa.JSON(), nullable=True),
        sa.Column("actions_taken", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_return_lines_product_id_products")),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["return_orders.id"],
            name=op.f("fk_return_lines_return_id_return_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_lines_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False)

    op.create_table(
        "return_status_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("return_id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "AwaitingArrival",
                "Arrived",
                "Processing",
                "Completed",
                "Cancelled",
                name="returnstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("timestamp", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["return_orders.id"],
            name=op.f("fk_return_status_history_return_id_return_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_status_history")),
    )
    with op.batch_alter_table("return_status_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_status_history_return_id"), ["return_id"], unique=False)

    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("return_id", sa.String(length=40), nullable=True),
        sa.Column("merchant_id", sa.String(length=40), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["return_orders.id"],
            name=op.f("fk_tracking_events_return_id_return_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
    )
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tracking_events_return_id"), ["return_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tracking_events_tracking_number"), ["tracking_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_events_tracking_number"))
        batch_op.drop_index(batch_op.f("ix_tracking_events_return_id"))

    op.drop_table("tracking_events")
    with op.batch_alter_table("return_status_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_status_history_return_id"))

    op.drop_table("return_status_history")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))
        batch_op.drop_index(batch_op.f("ix_return_lines_product_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_work_order_id"))
        batch_op.drop_index("ix_ledger_entries_stock")
        batch_op.drop_index(batch_op.f("ix_ledger_entries_return_id"))

    op.drop_table("ledger_entries")
    op.drop_table("users")
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transactions_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_transactions_return_id"))
        batch_op.drop_index("ix_transactions_merchant_created")

    op.drop_table("transactions")
    with op.batch_alter_table("return_orders", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_return_orders_live_reference",
            sqlite_where=sa.text("status != 'Cancelled'"),
            postgresql_where=sa.text("status != 'Cancelled'"),
        )
        batch_op.drop_index("ix_return_orders_tracking_number")
        batch_op.drop_index("ix_return_orders_reference_id")
        batch_op.drop_index("ix_return_orders_original_shipment_id")
        batch_op.drop_index("ix_return_orders_merchant_id_id")
        batch_op.drop_index("ix_return_orders_label_tracking_number")
        batch_op.drop_index("ix_return_orders_fc_id")

    op.drop_table("return_orders")
    op.drop_table("products")
    op.drop_table("fee_schedules")
    op.drop_table("credentials")
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_events_merchant_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_events_dispatched_at"))

    op.drop_table("outbox_events")
    op.drop_table("operators")
    op.drop_table("merchants")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_created_at"))

    op.drop_table("idempotency_keys")
    op.drop_table("fulfillment_centers")
