"""Merchants, fulfillment centers and the people and systems that act on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    Admin = "Admin"
    Merchant = "Merchant"
    Operator = "Operator"
    Integration = "Integration"


@dataclass
class Merchant:
    id: str
    name: str
    created_at: datetime
    currency_code: str = "USD"
    number: int | None = None


@dataclass
class FulfillmentCenter:
    id: str
    name: str
    country: str
    created_at: datetime
    address_line1: str | None = None
    city: str | None = None
    postal_code: str | None = None
    number: int | None = None


@dataclass
class Operator:
    id: str
    name: str
    created_at: datetime
    fulfillment_center_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from a bearer token or a dashboard session."""

    role: Role
    credential_id: str
    name: str
    merchant_id: str | None = None
    operator_id: str | None = None
    fulfillment_center_ids: frozenset[str] = frozenset()

    @property
    def actor(self) -> str:
        """How this principal appears in status histories."""
        if self.role is Role.Merchant:
            return f"merchant:{self.merchant_id}"
        if self.role is Role.Operator:
            return f"operator:{self.operator_id}"
        return f"{self.role.value.lower()}:{self.name}"
