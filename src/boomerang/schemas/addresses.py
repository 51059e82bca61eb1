from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints, field_validator

from boomerang.domain.addresses import Address
from boomerang.domain.countries import ISO_COUNTRIES
from boomerang.schemas.common import RequestModel

Line = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


def country_code(value: str) -> str:
    code = value.strip().upper()
    if code not in ISO_COUNTRIES:
        raise ValueError("an ISO 3166-1 alpha-2 country code, e.g. US")
    return code


class AddressIn(RequestModel):
    name: Line
    line1: Line
    city: Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
    postal_code: Annotated[str, StringConstraints(min_length=1, max_length=20, strip_whitespace=True)]
    country: Annotated[str, StringConstraints(min_length=2, max_length=2)]

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        return country_code(value)

    def to_domain(self) -> Address:
        return Address(self.name, self.line1, self.city, self.postal_code, self.country)


class AddressRead(BaseModel):
    name: str
    line1: str
    city: str
    postal_code: str
    country: str

    @classmethod
    def from_domain(cls, address: Address) -> AddressRead:
        return cls(
            name=address.name,
            line1=address.line1,
            city=address.city,
            postal_code=address.postal_code,
            country=address.country,
        )
