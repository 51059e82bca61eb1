from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from boomerang.entrypoints.api.schemas.common import Id, RequestModel

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


class MerchantSummary(BaseModel):
    id: str
    name: str
    return_count: int


class ApiKeyCreated(BaseModel):
    api_key: str
    merchant_id: str


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


class OperatorCreate(RequestModel):
    name: Name
    fulfillment_center_ids: FcIds


class OperatorCreated(BaseModel):
    id: str
    name: str
    fulfillment_center_ids: list[str]
    token: str


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


class TokenCreate(RequestModel):
    name: Name


class TokenCreated(BaseModel):
    name: str
    token: str
