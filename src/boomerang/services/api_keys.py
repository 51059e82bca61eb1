"""API keys a merchant manages itself: create (the secret is shown once), list, revoke."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boomerang.domain.error_codes import AuthErrorCode
from boomerang.domain.errors import NotFound, require
from boomerang.domain.tenants import Role
from boomerang.services.auth import issue_credential
from boomerang.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewApiKey:
    name: str
    secret: str


def _merchant(uow: UnitOfWork) -> str:
    require(uow.principal.merchant_id is not None, "merchant", "only a merchant manages its API keys")
    return uow.principal.merchant_id or ""


def list_api_keys(uow: UnitOfWork) -> list[ApiKey]:
    """The merchant's keys, newest first."""
    return [ApiKey(r.id, r.name, r.created_at, r.revoked_at) for r in uow.tenants.merchant_credentials(_merchant(uow))]


def create_api_key(uow: UnitOfWork, *, name: str) -> NewApiKey:
    """A new key for the merchant; its secret is returned only here."""
    name = name.strip()
    require(1 <= len(name) <= 200, "name", "name is 1 to 200 characters")
    secret = issue_credential(uow, Role.Merchant, name, merchant_id=_merchant(uow))
    uow.commit()
    return NewApiKey(name, secret)


def revoke_api_key(uow: UnitOfWork, *, key_id: str) -> None:
    """Stop a key working at once; revoking a revoked or another merchant's key is a 404."""
    if not uow.tenants.revoke_credential(_merchant(uow), key_id, uow.now):
        raise NotFound(f"API key {key_id} not found", code=AuthErrorCode.API_KEY_NOT_FOUND)
    uow.commit()
