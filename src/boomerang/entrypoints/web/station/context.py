"""Which fulfillment center the operator is working at: chosen once per session, shown in the header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.responses import HTMLResponse, Response

from boomerang.domain.tenants import FulfillmentCenter
from boomerang.entrypoints.web.deps import OperatorPage, WrongArea
from boomerang.entrypoints.web.security import set_cookie, sign, unsign
from boomerang.entrypoints.web.templating import page
from boomerang.services.unit_of_work import UnitOfWork

FC_COOKIE = "boomerang_station_fc"
FC_SALT = "boomerang-station-fc"


class FcNotChosen(WrongArea):
    """An operator of several FCs who has not picked one yet: sent to the picker first."""

    def __init__(self, next_path: str) -> None:
        super().__init__(f"/station/fc?next={next_path}")


@dataclass(frozen=True)
class StationFc:
    """An FC as the header shows it (read once, used after its unit of work has ended)."""

    id: str
    name: str
    country: str

    @classmethod
    def of(cls, fc: FulfillmentCenter) -> StationFc:
        return cls(fc.id, fc.name, fc.country)


@dataclass
class Station:
    """A station request: the operator's unit of work, the FC they work at, and all their FCs."""

    uow: UnitOfWork
    fc: StationFc
    fcs: list[StationFc]

    def render(
        self, request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
    ) -> HTMLResponse:
        values = {"station_fc": self.fc, "station_fcs": self.fcs, **(context or {})}
        return page(request, template, values, status_code=status_code)


def operator_fcs(uow: UnitOfWork) -> list[StationFc]:
    with uow:
        fcs = [StationFc.of(uow.tenants.fulfillment_center(fc_id)) for fc_id in uow.principal.fulfillment_center_ids]
    return sorted(fcs, key=lambda fc: fc.name)


def _binding(request: Request) -> str:
    return str(request.state.web_session.session_id)


def chosen_fc_id(request: Request) -> str | None:
    value = unsign(request, request.cookies.get(FC_COOKIE), salt=FC_SALT)
    if value is None or ":" not in value:
        return None
    binding, fc_id = value.rsplit(":", 1)
    return fc_id if binding == _binding(request) else None


def remember_fc(request: Request, response: Response, fc_id: str) -> None:
    set_cookie(request, response, FC_COOKIE, sign(request, f"{_binding(request)}:{fc_id}", salt=FC_SALT))


def station(request: Request, uow: OperatorPage) -> Station:
    """The FC from the session if it is still one of the operator's; the only one; else the picker."""
    fcs = operator_fcs(uow)
    wanted = chosen_fc_id(request)
    fc = next((fc for fc in fcs if fc.id == wanted), None)
    if fc is None and len(fcs) == 1:
        fc = fcs[0]
    if fc is None:
        raise FcNotChosen(request.url.path)
    return Station(uow, fc, fcs)


StationPage = Annotated[Station, Depends(station)]
