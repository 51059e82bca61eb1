"""Shapes shared by every resource: money, pages, errors."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

Id = Annotated[str, StringConstraints(min_length=1, max_length=40)]
ShortText = Annotated[str, StringConstraints(max_length=200)]


class RequestModel(BaseModel):
    """Request bodies: unknown fields ignored; ints and bools are never coerced from strings."""

    model_config = ConfigDict(extra="ignore")


class Money(BaseModel):
    amount: str = Field(examples=["3.00"], pattern=r"^-?\d+\.\d{2}$")
    currency_code: str = Field(examples=["USD"], min_length=3, max_length=3)


class MoneyIn(RequestModel):
    amount: Annotated[str, StringConstraints(pattern=r"^-?\d{1,9}(\.\d{1,2})?$")] = Field(examples=["3.00"])
    currency_code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(examples=["USD"])


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorResponse(BaseModel):
    error: ErrorBody


Limit = Annotated[int, Field(ge=1, le=200)]

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in (
        (400, "Malformed request"),
        (401, "Missing or bad credentials"),
        (403, "Role not allowed"),
        (404, "Not found (or another tenant's)"),
        (409, "State conflict"),
        (412, "If-Match does not match"),
        (422, "Validation error"),
        (429, "Rate limited"),
    )
}
