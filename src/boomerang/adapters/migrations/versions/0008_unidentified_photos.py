"""station: a photo belongs to a return or to an unidentified package; work order items record what was picked

Revision ID: 0008_unidentified_photos
Revises: 0007_web_sessions
Create Date: 2026-11-28 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_unidentified_photos"
down_revision: str | Sequence[str] | None = "0007_web_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=40)


def upgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.alter_column("return_id", existing_type=ID, nullable=True)
        batch.alter_column("merchant_id", existing_type=ID, nullable=True)
        batch.add_column(sa.Column("unidentified_package_id", ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_photos_unidentified_package_id_unidentified_packages"),
            "unidentified_packages",
            ["unidentified_package_id"],
            ["id"],
        )
        batch.create_index(op.f("ix_photos_unidentified_package_id"), ["unidentified_package_id"], unique=False)
    with op.batch_alter_table("work_order_items") as batch:
        batch.add_column(sa.Column("quantity_picked", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("work_order_items") as batch:
        batch.drop_column("quantity_picked")
    with op.batch_alter_table("photos") as batch:
        batch.drop_index(op.f("ix_photos_unidentified_package_id"))
        batch.drop_constraint(op.f("fk_photos_unidentified_package_id_unidentified_packages"), type_="foreignkey")
        batch.drop_column("unidentified_package_id")
        batch.alter_column("merchant_id", existing_type=ID, nullable=False)
        batch.alter_column("return_id", existing_type=ID, nullable=False)
