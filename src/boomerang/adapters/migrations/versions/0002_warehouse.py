"""warehouse: shipments, carrier scans, receipts, unidentified packages, photos, adjustments

Revision ID: 0002_warehouse
Revises: 0001
Create Date: 2026-11-27 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_warehouse"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=40)


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("id", ID, nullable=False),
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("fulfillment_center_id", ID, nullable=False),
        sa.Column("store_order_id", sa.String(length=100), nullable=False),
        sa.Column("tracking_number", sa.String(length=100), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=False),
        sa.Column("label_cost", sa.BigInteger(), nullable=False),
        sa.Column("label_cost_currency", sa.String(length=3), nullable=False),
        sa.Column("destination_country", sa.String(length=2), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("rts_scanned", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fulfillment_center_id"],
            ["fulfillment_centers.id"],
            name=op.f("fk_shipments_fulfillment_center_id_fulfillment_centers"),
        ),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_shipments_merchant_id_merchants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
    )
    op.create_index(op.f("ix_shipments_tracking_number"), "shipments", ["tracking_number"], unique=False)
    op.create_index("ix_shipments_merchant_id_id", "shipments", ["merchant_id", "id"], unique=False)

    op.create_table(
        "shipment_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("shipment_id", ID, nullable=False),
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("lot_number", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name=op.f("fk_shipment_items_product_id_products")),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_shipment_items_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_items")),
    )
    op.create_index(op.f("ix_shipment_items_shipment_id"), "shipment_items", ["shipment_id"], unique=False)

    op.create_table(
        "carrier_scans",
        sa.Column("id", ID, nullable=False),
        sa.Column("tracking_number", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_scans")),
    )
    op.create_index(op.f("ix_carrier_scans_tracking_number"), "carrier_scans", ["tracking_number"], unique=False)

    op.create_table(
        "receipts",
        sa.Column("id", ID, nullable=False),
        sa.Column("fulfillment_center_id", ID, nullable=False),
        sa.Column("merchant_id", ID, nullable=True),
        sa.Column("scanned", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("return_id", ID, nullable=True),
        sa.Column("unidentified_package_id", ID, nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fulfillment_center_id"],
            ["fulfillment_centers.id"],
            name=op.f("fk_receipts_fulfillment_center_id_fulfillment_centers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
    )
    op.create_index(op.f("ix_receipts_return_id"), "receipts", ["return_id"], unique=False)

    op.create_table(
        "unidentified_packages",
        sa.Column("id", ID, nullable=False),
        sa.Column("fulfillment_center_id", ID, nullable=False),
        sa.Column("merchant_id", ID, nullable=True),
        sa.Column("scanned", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("photo_ids", sa.JSON(), nullable=False),
        sa.Column("resolved_return_id", ID, nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["fulfillment_center_id"],
            ["fulfillment_centers.id"],
            name=op.f("fk_unidentified_packages_fulfillment_center_id_fulfillment_centers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unidentified_packages")),
    )
    op.create_index(
        "ix_unidentified_packages_fc_id", "unidentified_packages", ["fulfillment_center_id", "id"], unique=False
    )

    op.create_table(
        "photos",
        sa.Column("id", ID, nullable=False),
        sa.Column("return_id", ID, nullable=False),
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("fulfillment_center_id", ID, nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fulfillment_center_id"],
            ["fulfillment_centers.id"],
            name=op.f("fk_photos_fulfillment_center_id_fulfillment_centers"),
        ),
        sa.ForeignKeyConstraint(["merchant_id"], ["merchants.id"], name=op.f("fk_photos_merchant_id_merchants")),
        sa.ForeignKeyConstraint(["return_id"], ["return_orders.id"], name=op.f("fk_photos_return_id_return_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    op.create_index(op.f("ix_photos_return_id"), "photos", ["return_id"], unique=False)

    op.create_table(
        "inventory_adjustments",
        sa.Column("ledger_entry_id", ID, nullable=False),
        sa.Column("merchant_id", ID, nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_entry_id"],
            ["ledger_entries.id"],
            name=op.f("fk_inventory_adjustments_ledger_entry_id_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("ledger_entry_id", name=op.f("pk_inventory_adjustments")),
    )


def downgrade() -> None:
    op.drop_table("inventory_adjustments")
    op.drop_index(op.f("ix_photos_return_id"), table_name="photos")
    op.drop_table("photos")
    op.drop_index("ix_unidentified_packages_fc_id", table_name="unidentified_packages")
    op.drop_table("unidentified_packages")
    op.drop_index(op.f("ix_receipts_return_id"), table_name="receipts")
    op.drop_table("receipts")
    op.drop_index(op.f("ix_carrier_scans_tracking_number"), table_name="carrier_scans")
    op.drop_table("carrier_scans")
    op.drop_index(op.f("ix_shipment_items_shipment_id"), table_name="shipment_items")
    op.drop_table("shipment_items")
    op.drop_index("ix_shipments_merchant_id_id", table_name="shipments")
    op.drop_index(op.f("ix_shipments_tracking_number"), table_name="shipments")
    op.drop_table("shipments")
