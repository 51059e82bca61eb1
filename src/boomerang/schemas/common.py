"""Shapes shared by every resource: money, pages, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar, overload

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from boomerang.domain import money as domain_money

T = TypeVar("T")


@overload
def iso(value: datetime) -> str: ...
@overload
def iso(value: datetime | None) -> str | None: ...
def iso(value: datetime | None) -> str | None:
    """A date-time as the API writes it where its schema says string: ISO 8601, UTC as `Z`."""
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


Id = Annotated[str, StringConstraints(min_length=1, max_length=40)]


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the date-time is out of range once converted to UTC") from None


# A date-time with an offset, converted to UTC (year 1 at +05:00 or 9999-12-31T23:30-05:00 are refused).
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_in_utc)]
ShortText = Annotated[str, StringConstraints(max_length=200)]


def _unstorable_text(value: object) -> bool:
    """NUL characters and lone surrogates cannot be stored (PostgreSQL refuses them): refuse them at the edge."""
    if isinstance(value, str):
        return "\x00" in value or (not value.isascii() and _has_surrogate(value))
    if isinstance(value, dict):
        return any(_unstorable_text(k) or _unstorable_text(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_unstorable_text(v) for v in value)
    return False


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class RequestModel(BaseModel):
    """Request bodies: unknown fields ignored; ints and bools are never coerced from strings."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _refuse_unstorable_text(cls, data: object) -> object:
        if _unstorable_text(data):
            raise ValueError("text must not contain NUL characters or unpaired surrogates")
        return data


class Money(BaseModel):
    amount: str = Field(examples=["3.00"], pattern=r"^-?\d+\.\d{2}$")
    currency_code: str = Field(examples=["USD"], min_length=3, max_length=3)

    @classmethod
    def from_domain(cls, money: domain_money.Money) -> Money:
        return cls(amount=money.formatted(), currency_code=money.currency)


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
