"""Ports: the repositories of tenants, as the use cases see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from boomerang.domain.queries import Page
from boomerang.domain.tenants import FulfillmentCenter, Merchant, Operator


class Tenants(Protocol):
    """Merchants, fulfillment centers, operators, users and their credentials."""

    def add(self, obj: Merchant | FulfillmentCenter | Operator) -> None: ...

    def merchant(self, merchant_id: str) -> Merchant: ...

    def merchants_by_return_count(self, cursor: str | None, limit: int) -> Page[Any]:
        """Merchants with their return counts, largest first (cursor = offset, bounded list)."""

    def fulfillment_center(self, fc_id: str) -> FulfillmentCenter: ...

    def fulfillment_centers(self, ids: list[str] | None = None) -> list[FulfillmentCenter]:
        """Every FC, or those of `ids` (the ones this unit of work already read are not read again), by id."""

    def preload(self, fc_id: str, merchant_id: str) -> None: ...

    def operator(self, operator_id: str) -> Operator: ...

    def add_credential(self, **values: Any) -> None: ...

    def credential_by_hash(self, token_hash: str) -> Any: ...

    def merchant_credentials(self, merchant_id: str) -> list[Any]:
        """A merchant's API keys, newest first (hashes only; the secrets were shown once)."""

    def revoke_credential(self, merchant_id: str, credential_id: str, now: Any) -> bool: ...

    def add_user(self, **values: Any) -> None: ...

    def user_by_email(self, email: str) -> Any: ...

    def email_taken(self, email: str) -> bool: ...

    def count_merchants(self) -> int: ...


class WebSessions(Protocol):
    """Signed-in page sessions."""

    def add(self, *, session_id: str, user_id: str, now: datetime) -> None: ...

    def live_with_user(self, session_id: str) -> Any:
        """The unrevoked session and its user's columns, or None."""

    def touch(self, session_id: str, now: datetime) -> None: ...

    def revoke(self, session_id: str, now: datetime) -> None: ...

    def revoke_all_of(self, user_id: str, now: datetime) -> None: ...

    def disable_user(self, user_id: str, now: datetime) -> bool: ...


class StoredSecrets(Protocol):
    """Secrets stored encrypted (integration and webhook secrets)."""

    def reencrypt_all(self) -> int:
        """Rewrite every stored secret under the current key; returns how many were rewritten."""


class IdempotencyRecords(Protocol):
    """Responses stored per (credential, Idempotency-Key)."""

    def find(self, credential_id: str, key: str) -> Any | None:
        """The stored response for this key, if its request committed."""

    def purge_older_than(self, cutoff: datetime) -> int: ...
