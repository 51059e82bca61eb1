from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints

from boomerang.domain.labels import LabelType, Rate
from boomerang.schemas.addresses import AddressIn
from boomerang.schemas.common import Money, RequestModel

Name = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class LabelCreate(RequestModel):
    """Optimized: the cheapest rate; CarrierSpecific: `carrier` + `service`; Prepaid: `carrier` + `tracking_number`."""

    type: LabelType
    carrier: Name | None = None
    service: Name | None = None
    tracking_number: Name | None = None
    origin_address: AddressIn


class RateRead(BaseModel):
    carrier: str
    service: str
    cost: Money

    @classmethod
    def from_domain(cls, rate: Rate) -> RateRead:
        return cls(carrier=rate.carrier, service=rate.service, cost=Money.from_domain(rate.cost))


class RateList(BaseModel):
    items: list[RateRead]
    next_cursor: str | None = None
