"""Request dependencies: the caller, and a unit of work bound to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from boomerang.domain.tenants import Principal, Role
from boomerang.services.auth import Unauthenticated, authenticate, require_role
from boomerang.services.unit_of_work import UnitOfWork


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send Authorization: Bearer <token>")
    return token.strip()


def current_principal(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    state = request.app.state
    principal = authenticate(state.uow_factory, bearer_token(request), state.settings.admin_token)
    request.state.principal = principal
    return principal


def uow_for(*roles: Role, read_only: bool = False, may_lag: bool = False) -> Callable[..., UnitOfWork]:
    """A dependency giving a unit of work for a caller of one of `roles` (403 otherwise).

    `read_only` is for handlers that never write (no lazily assigned numbers either): on SQLite
    their transaction does not take the write lock. `may_lag` (read-only lists and exports that are
    not read-your-writes): served by the read replica when BOOMERANG_READ_DATABASE_URL is set."""

    def dependency(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> UnitOfWork:
        require_role(principal, *roles)
        return request.app.state.uow_factory(  # type: ignore[no-any-return]
            principal, read_only=read_only, may_lag=may_lag
        )

    return dependency


AdminUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Admin))]
MerchantUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Merchant))]
OperatorUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Operator))]
MerchantOrOperatorUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Merchant, Role.Operator))]
MerchantOrOperatorReadUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Merchant, Role.Operator, read_only=True))]
# Lists and exports that may lag behind the last write (the read replica, if configured).
MerchantOrOperatorListUoW = Annotated[
    UnitOfWork, Depends(uow_for(Role.Merchant, Role.Operator, read_only=True, may_lag=True))
]
MerchantExportUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Merchant, read_only=True, may_lag=True))]
AnyUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Admin, Role.Merchant, Role.Operator, Role.Integration))]
IntegrationUoW = Annotated[UnitOfWork, Depends(uow_for(Role.Integration, Role.Admin))]
