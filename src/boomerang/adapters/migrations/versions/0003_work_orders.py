"""work orders: disposal and removal of quarantined stock

Revision ID: 0003_work_orders
Revises: 0001
Create Date: 2026-11-27 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_work_orders"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "work_orders",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("fulfillment_center_id", sa.String(length=40), nullable=False),
        sa.Column(
            "type",
            sa.Enum("Disposal", "B2CRemoval", "B2BRemoval", name="workordertype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("Open", "Completed", "Cancelled", name="workorderstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("ship_to", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("completed_by", sa.String(length=200), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fulfillment_center_id"],
            ["fulfillment_centers.id"],
            name=op.f("fk_work_orders_fulfillment_center_id_fulfillment_centers"),
        ),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_work_orders_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_orders")),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index("ix_work_orders_merchant_id_id", ["merchant_id", "id"], unique=False)
        batch_op.create_index("ix_work_orders_fc_status", ["fulfillment_center_id", "status"], unique=False)

    op.create_table(
        "work_order_items",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("work_order_id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        sa.Column("lot_number", sa.String(length=100), nullable=True),
        sa.Column("expiration_date", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_work_order_items_product_id_products")),
        sa.ForeignKeyConstraint(
            ["work_order_id"], ["work_orders.id"], name=op.f("fk_work_order_items_work_order_id_work_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_items")),
    )
    with op.batch_alter_table("work_order_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_order_items_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_order_items_work_order_id"), ["work_order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("work_order_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_items_work_order_id"))
        batch_op.drop_index(batch_op.f("ix_work_order_items_product_id"))

    op.drop_table("work_order_items")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_work_orders_fc_status")
        batch_op.drop_index("ix_work_orders_merchant_id_id")

    op.drop_table("work_orders")
