from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from boomerang.domain.tenants import FulfillmentCenter
from boomerang.schemas.common import Id, RequestModel
from boomerang.services import admin

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
FcIds = Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=40)]], Field(max_length=100)]


class MerchantCreate(RequestModel):
    name: Name
    currency_code: Literal["USD", "CAD", "EUR", "GBP", "AUD"] = "USD"


class MerchantCreated(BaseModel):
    id: str
    name: str
    currency_code: str
    api_key: str

    @classmethod
    def from_domain(cls, created: admin.NewMerchant) -> MerchantCreated:
        m = created.merchant
        return cls(id=m.id, name=m.name, currency_code=m.currency_code, api_key=created.api_key)


class MerchantSummary(BaseModel):
    id: str
    name: str
    return_count: int

    @classmethod
    def from_domain(cls, summary: admin.MerchantSummary) -> MerchantSummary:
        return cls(id=summary.id, name=summary.name, return_count=summary.return_count)


class ApiKeyCreated(BaseModel):
    api_key: str
    merchant_id: str

    @classmethod
    def from_domain(cls, issued: admin.IssuedApiKey) -> ApiKeyCreated:
        return cls(api_key=issued.api_key, merchant_id=issued.merchant_id)


class FulfillmentCenterCreate(RequestModel):
    name: Name
    country: Annotated[str, StringConstraints(min_length=2, max_length=2)]
    address_line1: Annotated[str, StringConstraints(max_length=200)] | None = None
    city: Annotated[str, StringConstraints(max_length=100)] | None = None
    postal_code: Annotated[str, StringConstraints(max_length=20)] | None = None


class FulfillmentCenterRead(BaseModel):
    id: str
    name: str
    country: str

    @classmethod
    def from_domain(cls, fc: FulfillmentCenter) -> FulfillmentCenterRead:
        return cls(id=fc.id, name=fc.name, country=fc.country)


class OperatorCreate(RequestModel):
    name: Name
    fulfillment_center_ids: FcIds


class OperatorCreated(BaseModel):
    id: str
    name: str
    fulfillment_center_ids: list[str]
    token: str

    @classmethod
    def from_domain(cls, created: admin.NewOperator) -> OperatorCreated:
        o = created.operator
        return cls(id=o.id, name=o.name, fulfillment_center_ids=list(o.fulfillment_center_ids), token=created.token)


class UserCreate(RequestModel):
    email: Annotated[str, StringConstraints(min_length=3, max_length=320)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: Literal["Merchant", "Operator"]
    merchant_id: Id | None = None
    fulfillment_center_ids: FcIds | None = None


class UserCreated(BaseModel):
    id: str
    email: str
    role: str
    merchant_id: str | None
    fulfillment_center_ids: list[str]

    @classmethod
    def from_domain(cls, user: admin.DashboardUser) -> UserCreated:
        return cls(
            id=user.id,
            email=user.email,
            role=user.role.value,
            merchant_id=user.merchant_id,
            fulfillment_center_ids=list(user.fulfillment_center_ids),
        )


class TokenCreate(RequestModel):
    name: Name


class TokenCreated(BaseModel):
    name: str
    token: str

    @classmethod
    def from_domain(cls, issued: admin.IssuedToken) -> TokenCreated:
        return cls(name=issued.name, token=issued.token)
