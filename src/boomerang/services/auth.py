"""Who is calling: bearer tokens of every role, hashed at rest and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac

from boomerang.domain.error_codes import AuthErrorCode, CommonErrorCode, ErrorCode
from boomerang.domain.errors import DomainError, Forbidden
from boomerang.domain.ids import new_id, new_secret
from boomerang.domain.tenants import Principal, Role
from boomerang.services.unit_of_work import UnitOfWork, UnitOfWorkFactory

SYSTEM = Principal(Role.Admin, credential_id="system", name="system")
TOKEN_PREFIX = {Role.Admin: "bka", Role.Merchant: "bkm", Role.Operator: "bko", Role.Integration: "bki"}


class Unauthenticated(DomainError):
    code: ErrorCode = AuthErrorCode.UNAUTHENTICATED


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(uow_factory: UnitOfWorkFactory, token: str, admin_token: str) -> Principal:
    """Resolve a bearer token to its principal, or raise Unauthenticated."""
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return Principal(Role.Admin, credential_id="env-admin", name="admin")
    token_hash = hash_token(token)
    with uow_factory(SYSTEM, read_only=True, standalone_reads=True) as uow:
        row = uow.tenants.credential_by_hash(token_hash)
        if row is None or not hmac.compare_digest(row.token_hash, token_hash):
            raise Unauthenticated("missing or invalid bearer token")
        role = Role(row.role)
        fc_ids: frozenset[str] = frozenset()
        if role is Role.Operator:
            found = row.operator_fc_ids
            fc_ids = frozenset(
                found if found is not None else uow.tenants.operator(row.operator_id).fulfillment_center_ids
            )
        return Principal(
            role,
            credential_id=row.id,
            name=row.name,
            merchant_id=row.merchant_id,
            operator_id=row.operator_id,
            fulfillment_center_ids=fc_ids,
        )


CREDENTIAL_NAME_MAX = 200  # credentials.name


def issue_credential(
    uow: UnitOfWork,
    role: Role,
    name: str,
    *,
    merchant_id: str | None = None,
    operator_id: str | None = None,
    secret: str | None = None,
) -> str:
    """Store a new credential's hash and return the secret (shown once). `secret` is for demo data only."""
    secret = secret or new_secret(TOKEN_PREFIX[role])
    uow.tenants.add_credential(
        id=new_id("cred"),
        role=role.value,
        name=name[:CREDENTIAL_NAME_MAX],
        token_hash=hash_token(secret),
        merchant_id=merchant_id,
        operator_id=operator_id,
        created_at=uow.now,
    )
    return secret


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        allowed = " or ".join(r.value.lower() for r in roles)
        raise Forbidden(f"this action needs a {allowed} credential", code=CommonErrorCode.FORBIDDEN)
