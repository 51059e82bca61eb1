"""Every secret stored encrypted (webhook signing keys, integration HMAC secrets, idempotent responses), for
key rotation."""

from __future__ import annotations

from sqlalchemy import String, Table, select, type_coerce, update
from sqlalchemy.orm import Session

from boomerang.adapters.secret_box import current_box
from boomerang.adapters.tables.core import idempotency_keys
from boomerang.adapters.tables.webhooks import integration_configs, webhook_subscriptions

# (table, encrypted column)
ENCRYPTED_COLUMNS: tuple[tuple[Table, str], ...] = (
    (webhook_subscriptions, "secret"),
    (integration_configs, "webhook_secret"),
    (idempotency_keys, "response_body"),
)


class StoredSecretRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def reencrypt_all(self) -> int:
        """Rewrite every stored secret under the current key; returns how many were rewritten."""
        box = current_box()
        count = 0
        for table, column in ENCRYPTED_COLUMNS:
            raw = type_coerce(table.c[column], String)  # the stored ciphertext, not the decrypted value
            keys = list(table.primary_key.columns)
            stored = select(*keys, raw.label("stored")).where(raw.is_not(None)).order_by(*keys)
            rows = self.session.execute(stored).all()
            for row in rows:
                match = [key == getattr(row, key.name) for key in keys]
                fresh = box.reencrypt(row.stored)
                self.session.execute(update(table).where(*match).values({column: type_coerce(fresh, String)}))
                count += 1
        return count
