"""Admin: merchants, fulfillment centers, operators, users and tokens."""

from __future__ import annotations

from fastapi import APIRouter

from boomerang.entrypoints.http.deps import AdminUoW, AnyUoW
from boomerang.schemas.admin import (
    ApiKeyCreated,
    FulfillmentCenterCreate,
    FulfillmentCenterRead,
    MerchantCreate,
    MerchantCreated,
    MerchantSummary,
    OperatorCreate,
    OperatorCreated,
    TokenCreate,
    TokenCreated,
    UserCreate,
    UserCreated,
)
from boomerang.schemas.common import Limit, Page
from boomerang.services import admin

router = APIRouter(tags=["admin"])


@router.post("/admin/merchants", status_code=201, response_model=MerchantCreated)
def create_merchant(body: MerchantCreate, uow: AdminUoW) -> MerchantCreated:
    with uow:
        return MerchantCreated.from_domain(admin.create_merchant(uow, name=body.name, currency_code=body.currency_code))


@router.get("/admin/merchants", response_model=Page[MerchantSummary])
def list_merchants(uow: AdminUoW, cursor: str | None = None, limit: Limit = 50) -> Page[MerchantSummary]:
    with uow:
        page = admin.list_merchants(uow, cursor=cursor, limit=limit)
    return Page[MerchantSummary](
        items=[MerchantSummary.from_domain(m) for m in page.items], next_cursor=page.next_cursor
    )


@router.post("/admin/merchants/{merchant_id}/api-keys", status_code=201, response_model=ApiKeyCreated)
def create_api_key(merchant_id: str, uow: AdminUoW) -> ApiKeyCreated:
    with uow:
        return ApiKeyCreated.from_domain(admin.create_api_key(uow, merchant_id=merchant_id))


@router.post("/admin/fulfillment-centers", status_code=201, response_model=FulfillmentCenterRead)
def create_fulfillment_center(body: FulfillmentCenterCreate, uow: AdminUoW) -> FulfillmentCenterRead:
    with uow:
        return FulfillmentCenterRead.from_domain(admin.create_fulfillment_center(uow, **body.model_dump()))


@router.get("/fulfillment-centers", response_model=Page[FulfillmentCenterRead], tags=["fulfillment centers"])
def list_fulfillment_centers(uow: AnyUoW) -> Page[FulfillmentCenterRead]:
    with uow:
        fcs = admin.list_fulfillment_centers(uow)
        return Page[FulfillmentCenterRead](
            items=[FulfillmentCenterRead.from_domain(fc) for fc in fcs], next_cursor=None
        )


@router.post("/admin/operators", status_code=201, response_model=OperatorCreated)
def create_operator(body: OperatorCreate, uow: AdminUoW) -> OperatorCreated:
    with uow:
        created = admin.create_operator(uow, name=body.name, fulfillment_center_ids=body.fulfillment_center_ids)
        return OperatorCreated.from_domain(created)


@router.post("/admin/users", status_code=201, response_model=UserCreated)
def create_user(body: UserCreate, uow: AdminUoW) -> UserCreated:
    with uow:
        return UserCreated.from_domain(admin.create_user(uow, **body.model_dump()))


@router.post("/admin/integration-tokens", status_code=201, response_model=TokenCreated)
def create_integration_token(body: TokenCreate, uow: AdminUoW) -> TokenCreated:
    with uow:
        return TokenCreated.from_domain(admin.create_integration_token(uow, name=body.name))
